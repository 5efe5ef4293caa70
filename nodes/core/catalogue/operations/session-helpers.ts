/**
 * Helpers shared by the session-management and tool operations: the SDK's "session not found"
 * rule (docs/protocol.md §6: the code, or any error text containing `NotFound`), error prefixes that keep the
 * cause's code and request id, and the pause/resume wait (docs/protocol.md §4.2 `betaPauseAsync`/`betaResumeAsync`).
 */
import { AgentBayError } from '../../client/errors';
import { pollUntil } from '../polling';
import { asRecord, str } from '../session-api';
import type { OperationContext } from '../types';
import type { RuntimeText } from '../runtime-texts';

export const NOT_FOUND_CODE = 'InvalidMcpSession.NotFound';

/** The SDK's not-found test: code `InvalidMcpSession.NotFound`, or `NotFound` anywhere in the error. */
export function isSessionNotFound(error: unknown): boolean {
  if (error instanceof AgentBayError) return error.isNotFound || error.message.includes('NotFound');
  return error instanceof Error && error.message.includes('NotFound');
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Rewrites a failed call into the SDK's error text: a missing session becomes
 * `<notFoundPrefix>Session <id> not found` (code `InvalidMcpSession.NotFound`), anything else
 * `<prefix><cause>`. Code, request id, HTTP status and retryability of the cause are kept;
 * an abort is passed through untouched.
 */
export function sessionCallError(error: unknown, sessionId: string, prefix = '', notFoundPrefix = prefix): Error {
  const cause = error instanceof AgentBayError ? error : undefined;
  if (cause?.code === 'Aborted') return cause;
  if (isSessionNotFound(error)) {
    return new AgentBayError(`${notFoundPrefix}Session ${sessionId} not found`, {
      code: NOT_FOUND_CODE,
      requestId: cause?.requestId ?? '',
      httpStatus: cause?.httpStatus ?? 400,
    });
  }
  if (!prefix) return error instanceof Error ? error : new Error(String(error));
  return new AgentBayError(`${prefix}${reasonOf(error)}`, {
    code: cause?.code ?? 'Unknown',
    requestId: cause?.requestId ?? '',
    httpStatus: cause?.httpStatus,
    throttled: cause?.throttled,
    retryAfterSeconds: cause?.retryAfterSeconds,
    retryable: cause?.retryable ?? false,
  });
}

/** Parses a JSON string, or `undefined` when it is not JSON. */
export function tryParseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export interface TransitionSpec {
  action: 'PauseSessionAsync' | 'ResumeSessionAsync';
  /** `pause` / `resume`, for the SDK's texts. */
  verb: string;
  /** `pausing` / `resuming`, for progress. */
  gerund: RuntimeText;
  /** `session pause` / `session resume`: what the progress says it waits for. */
  waitLabel: RuntimeText;
  /** `PAUSING` / `RESUMING`: keep waiting. */
  transitional: string;
  /** `PAUSED` / `RUNNING`: done. */
  target: string;
}

export interface TransitionResult {
  sessionId: string;
  status: string;
  requestId: string;
}

/** GetSession's Status; failures read as the SDK reports them (`Failed to get session status: ...`). */
async function readStatus(context: OperationContext, sessionId: string): Promise<string> {
  try {
    const envelope = await context.client.call('GetSession', { SessionId: sessionId }, { signal: context.signal });
    return str(asRecord(envelope.Data).Status) || 'UNKNOWN';
  } catch (error) {
    throw sessionCallError(error, sessionId, 'Failed to get session status: ');
  }
}

/**
 * Starts a pause or resume, then (when `wait`) polls GetSession every `intervalMs`, the first
 * check at once, until the target state. The transitional state keeps the wait going; any other
 * state fails with the SDK's `Session <verb> failed: unexpected state '<s>' after <ms>ms`, and
 * running out of time with `Session <verb> timed out after <ms>ms`.
 */
export async function runTransition(
  context: OperationContext<'required'>,
  spec: TransitionSpec,
  options: { wait: boolean; intervalMs: number; timeoutMs: number },
): Promise<TransitionResult> {
  const sessionId = context.session.sessionId;
  context.progress(spec.gerund);
  let envelope;
  try {
    envelope = await context.client.call(spec.action, { SessionId: sessionId }, { signal: context.signal });
  } catch (error) {
    // API errors keep the client's `[Code] Message`, as the SDK reports them; not found is named.
    throw sessionCallError(error, sessionId, '', `Failed to ${spec.verb} session ${sessionId}: `);
  }
  const requestId = str(envelope.RequestId);
  if (envelope.Success === false) {
    const code = str(envelope.Code) || 'Unknown';
    throw new AgentBayError(`[${code}] ${str(envelope.Message) || 'Unknown error'}`, { code, requestId });
  }
  if (!options.wait) return { sessionId, status: spec.transitional, requestId };

  const started = context.clock.now().getTime();
  const elapsed = (): number => context.clock.now().getTime() - started;
  try {
    const status = await pollUntil({
      clock: context.clock,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      label: spec.waitLabel,
      progress: context.progress,
      signal: context.signal,
      check: async () => {
        const current = await readStatus(context, sessionId);
        if (current === spec.target) return current;
        if (current === spec.transitional) return undefined;
        throw new AgentBayError(`Session ${spec.verb} failed: unexpected state '${current}' after ${elapsed()}ms`, {
          code: 'UnexpectedSessionState',
        });
      },
    });
    return { sessionId, status, requestId };
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'WaitTimeout') {
      throw new AgentBayError(`Session ${spec.verb} timed out after ${elapsed()}ms`, { code: 'WaitTimeout', requestId });
    }
    throw error;
  }
}
