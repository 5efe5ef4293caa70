/**
 * ListMcpTools and CallMcpTool (docs/protocol.md §3.1, §5). Tool work is done by the session's sandbox workspace.
 */
import { setMaxListeners } from 'node:events';
import { invalidParameter, invalidSessionStatus, sessionNotFound } from '../protocol/errors';
import { callBrowserTool } from '../browser/page-tools';
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';
import { toolListJson } from './views';

interface ListToolsParams {
  ImageId?: string;
}

interface CallToolParams {
  SessionId: string;
  Name: string;
  Args?: Record<string, unknown>;
  Server?: string;
  AutoGenSession?: boolean;
}

const validateList = compileParams<ListToolsParams>({
  ImageId: { schema: { type: 'string', maxLength: 128 }, expect: 'an image id such as "linux_latest"' },
});

const validateCall = compileParams<CallToolParams>({
  SessionId: sessionIdField,
  Name: { schema: { type: 'string', maxLength: 128 }, expect: 'a tool name such as "shell"', required: true },
  Args: { schema: { type: 'string' }, expect: 'a JSON object string of tool arguments', json: { type: 'object' } },
  Server: { schema: { type: 'string', maxLength: 128 }, expect: 'the tool\'s server name, or empty' },
  AutoGenSession: { schema: { type: 'boolean' }, expect: 'false (the local server never creates a session implicitly)' },
});

/** Every image offers the same local tools; `Data` is a JSON *string* (docs/protocol.md §2.2). */
export const listMcpTools = defineAction('ListMcpTools', validateList, (ctx, p) => ({ data: toolListJson(ctx.factory, p.ImageId ?? 'linux_latest') }));

/**
 * `Server` is accepted but not needed: tool names are unique locally. AutoGenSession=true is
 * refused: a call must never silently start a new environment (a deleted session is gone; local-server/README.md).
 */
export const callMcpTool = defineAction('CallMcpTool', validateCall, async (ctx, p) => {
  if (p.AutoGenSession === true) {
    throw invalidParameter(
      'Invalid parameter AutoGenSession: expected false; the local server never starts a new session implicitly.',
    );
  }
  const session = ctx.store.getActive(p.SessionId);
  if (session.status !== 'RUNNING') {
    throw invalidSessionStatus(`Session ${session.id} is ${session.status}; tools run only in a RUNNING session.`);
  }
  const result = await withEitherSignal(session.abort.signal, ctx.signal, (signal) => ctx.store.track(session, async () =>
    (await callBrowserTool(ctx.browsers, session.id, p.Name, p.Args ?? {})) ?? session.workspace.callTool(p.Name, p.Args ?? {}, signal)));
  if (session.abort.signal.aborted) throw sessionNotFound(session.id, 'The session was deleted during the tool call.');
  return { data: { content: result.content, isError: result.isError } };
});

/**
 * Runs `body` with a signal that aborts when either signal does, and unhooks it afterwards. Not
 * `AbortSignal.any`: on Node 20 each call leaves a WeakRef in the long-lived session signal for as
 * long as the session lives (measured: one per tool call, the heap growing with every command).
 */
async function withEitherSignal<T>(first: AbortSignal, second: AbortSignal, body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const combined = new AbortController();
  const abort = (): void => combined.abort();
  // The session's signal holds one listener per call in flight (any number; each is removed below).
  setMaxListeners(0, first);
  if (first.aborted || second.aborted) abort();
  first.addEventListener('abort', abort, { once: true });
  second.addEventListener('abort', abort, { once: true });
  try {
    return await body(combined.signal);
  } finally {
    first.removeEventListener('abort', abort);
    second.removeEventListener('abort', abort);
  }
}
