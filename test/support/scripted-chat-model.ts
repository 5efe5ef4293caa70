/**
 * A scripted OpenAI-compatible chat-completions server on loopback, for running n8n's real AI Agent
 * without a language model. It is no model: each answer comes from a script keyed by the turn (how many
 * assistant messages the request already carries, so a retried request gets the same answer), and every
 * request is recorded (the tool definitions n8n sends, the tool results it returns). Answers either with
 * tool calls or with a final text, as a JSON chat completion (a request to stream is refused).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One tool as n8n offers it to the model (OpenAI "function" tool). */
export interface ChatTool {
  type: string;
  function: { name: string; description?: string; parameters?: { type?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] } };
}

export interface ChatMessage {
  role: string;
  content?: unknown;
  tool_call_id?: string;
  tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  stream?: boolean;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** What the script answers on one turn: tool calls to make, or the final text. */
export type ScriptedReply = { toolCalls: ToolCall[] } | { text: string };

/** A turn of the script: sees the request (to read earlier tool results) and answers. */
export type ScriptedTurn = (request: ChatRequest) => ScriptedReply;

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** The text of a message's content (a string, or OpenAI's array of text parts). */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === 'string') return message.content;
  if (Array.isArray(message.content)) {
    return message.content.map((part) => (typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : '')).join('');
  }
  return '';
}

/** The tool results the request carries, in order, with the name of the tool that produced each. */
export function toolResults(request: ChatRequest): Array<{ name: string; content: string }> {
  const names = new Map<string, string>();
  for (const message of request.messages) for (const call of message.tool_calls ?? []) names.set(call.id, call.function.name);
  return request.messages
    .filter((message) => message.role === 'tool')
    .map((message) => ({ name: names.get(message.tool_call_id ?? '') ?? '', content: messageText(message) }));
}

export class ScriptedChatModel {
  /** Every well-formed request, in arrival order. */
  readonly requests: ChatRequest[] = [];
  /** What went wrong answering (a turn that threw, a turn past the script's end), for the test to report. */
  readonly failures: string[] = [];

  private constructor(
    private readonly server: Server,
    /** The base URL to give an OpenAI client (ends in /v1). */
    readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly turns: ScriptedTurn[],
  ) {}

  static start(turns: ScriptedTurn[], apiKey: string): Promise<ScriptedChatModel> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        const model = new ScriptedChatModel(server, `http://127.0.0.1:${port}/v1`, apiKey, turns);
        server.on('request', (request, response) => {
          model.handle(request, response).catch((error: unknown) => {
            model.failures.push(`answering failed: ${String(error)}`);
            response.destroy();
          });
        });
        resolve(model);
      });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const fail = (status: number, message: string) => {
      this.failures.push(message);
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'invalid_request_error' } }));
    };
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/chat/completions') return fail(404, `unexpected ${request.method} ${request.url}`);
    if (request.headers.authorization !== `Bearer ${this.apiKey}`) return fail(401, 'the request does not carry the credential\'s API key');
    let body: ChatRequest;
    try {
      body = JSON.parse(await readBody(request)) as ChatRequest;
      if (!Array.isArray(body.messages) || !body.messages.every((message) => message !== null && typeof message === 'object')) {
        throw new Error('no list of message objects');
      }
    } catch (error) {
      return fail(400, `unreadable request: ${(error as Error).message}`);
    }
    this.requests.push(body);
    // n8n's agent streams only to a chat that asked for it; the CLI runs do not, so streaming is not scripted.
    if (body.stream) return fail(400, 'streaming is not scripted');
    const turn = body.messages.filter((message) => message.role === 'assistant').length;
    let reply: ScriptedReply;
    try {
      if (turn >= this.turns.length) throw new Error(`turn ${turn} is past the script's ${this.turns.length} turns`);
      reply = this.turns[turn](body);
    } catch (error) {
      // 400: the OpenAI client does not retry it, so the agent fails at once with this message.
      return fail(400, `scripted model, turn ${turn}: ${(error as Error).message}`);
    }
    const message =
      'text' in reply
        ? { role: 'assistant', content: reply.text }
        : {
            role: 'assistant',
            content: null,
            tool_calls: reply.toolCalls.map((call, index) => ({
              id: `call_${turn}_${index}`,
              type: 'function',
              function: { name: call.name, arguments: JSON.stringify(call.arguments) },
            })),
          };
    const finishReason = 'text' in reply ? 'stop' : 'tool_calls';
    const head = { id: `chatcmpl-scripted-${turn}`, created: Math.floor(Date.now() / 1000), model: body.model };
    const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ ...head, object: 'chat.completion', choices: [{ index: 0, message, finish_reason: finishReason }], usage }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`body over ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
