/**
 * A scripted AgentBay service for answers the local server never gives: the real client and
 * runOperation over a transport that answers each Action from a queue of envelopes, with a fake
 * clock (no server, no real sleeping).
 */
import { strict as assert } from 'node:assert';
import { AgentBayClient, type Clock } from '../../nodes/core/client/client';
import type { HttpTransport, TransportRequest, TransportResponse } from '../../nodes/core/client/transport';
import { operationById } from '../../nodes/core/catalogue/index';
import { englishOf } from '../../nodes/core/catalogue/runtime-texts';
import { runOperation } from '../../nodes/core/run-operation';
import { rememberToolList } from '../../nodes/core/catalogue/tool-servers';

export const SESSION_ID = 'session-scripted';

export type Reply = Record<string, unknown> | ((params: URLSearchParams) => Record<string, unknown>);

export interface Sent {
  action: string;
  /** Body and query merged. */
  params: URLSearchParams;
  query: URLSearchParams;
}

/** Answers each Action from a queue of envelopes (the last one repeats); records what was sent. */
export class ScriptedTransport implements HttpTransport {
  readonly sent: Sent[] = [];
  constructor(private readonly script: Record<string, Reply[]>) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    const url = new URL(request.url);
    const action = url.searchParams.get('Action') ?? '';
    const params = new URLSearchParams(request.body?.toString() ?? '');
    for (const [key, value] of url.searchParams) if (!params.has(key)) params.set(key, value);
    this.sent.push({ action, params, query: url.searchParams });
    const queue = this.script[action];
    if (!queue || queue.length === 0) throw new Error(`unscripted action ${action}`);
    const reply = queue.length > 1 ? queue.shift()! : queue[0];
    const body = typeof reply === 'function' ? reply(params) : reply;
    const status = typeof body.HttpStatusCode === 'number' ? body.HttpStatusCode : 200;
    return { status, headers: {}, body: JSON.stringify({ RequestId: `REQ-${this.sent.length}`, ...body }) };
  }

  actions(): string[] {
    return this.sent.map((entry) => entry.action);
  }
}

export class FakeClock implements Clock {
  private time = Date.parse('2026-01-01T00:00:00Z');
  readonly sleeps: number[] = [];
  now(): Date {
    return new Date(this.time);
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export const ok = (data?: unknown): Record<string, unknown> => ({ Success: true, Code: 'ok', Message: '', HttpStatusCode: 200, Data: data });
export const status = (value: string): Record<string, unknown> => ok({ SessionId: SESSION_ID, Status: value });
export const notFound = (): Record<string, unknown> => ({
  Success: false,
  Code: 'InvalidMcpSession.NotFound',
  Message: `The specified session does not exist. SessionId: ${SESSION_ID}`,
  HttpStatusCode: 400,
});
export const toolText = (text: string, isError = false): Record<string, unknown> => ok({ content: [{ type: 'text', text }], isError });

export interface Run {
  json: Record<string, unknown>;
  transport: ScriptedTransport;
  clock: FakeClock;
  progress: string[];
}

export async function run(operationId: string, script: Record<string, Reply[]>, parameters: Record<string, unknown> = {}, toolList = '[]'): Promise<Run> {
  const transport = new ScriptedTransport(script);
  const clock = new FakeClock();
  const progress: string[] = [];
  const client = new AgentBayClient({ apiKey: 'akl-scripted', region: 'custom', customEndpoint: 'http://scripted.invalid', transport, clock, retry: { maxRetries: 0, baseDelayMs: 1 } });
  // As if Create Session had run here: its (empty) tool list is known, so no GetSession precedes the tool calls.
  rememberToolList(client, SESSION_ID, toolList);
  try {
    const { output } = await runOperation(operationById(operationId), {
      rawParameters: parameters,
      rawSession: { sessionId: SESSION_ID, imageId: 'code_latest' },
      sessionField: 'Session',
      getClient: () => client,
      progress: (text) => progress.push(englishOf(text)),
      clock,
    });
    return { json: output.json, transport, clock, progress };
  } catch (error) {
    (error as { transport?: ScriptedTransport; clock?: FakeClock }).transport = transport;
    (error as { transport?: ScriptedTransport; clock?: FakeClock }).clock = clock;
    throw error;
  }
}

export async function failure(operationId: string, script: Record<string, Reply[]>, parameters: Record<string, unknown> = {}, toolList = '[]') {
  try {
    await run(operationId, script, parameters, toolList);
  } catch (error) {
    return error as Error & { transport: ScriptedTransport; clock: FakeClock };
  }
  assert.fail(`${operationId} should have failed`);
}
