/**
 * The runtime-neutral core of every node: validate the raw input, resolve the session, run the
 * operation. Both adapters call this and only translate what goes in and comes out.
 */
import type { AgentBayClient, Clock } from './client/client';
import { describeRetry, systemClock } from './client/client';
import { InputValidationError } from './client/errors';
import { isAbsentSession, toSessionRef, type SessionRef } from './catalogue/session';
import { IF_NO_SESSION, offersTemporarySession, USE_TEMPORARY } from './catalogue/temporary-session';
import type { OperationContext, OperationDefinition, OperationInput, OperationOutput } from './catalogue/types';
import { prepareInput } from './catalogue/validation';
import { runInTemporarySession } from './temporary-session';

export interface OperationRequest {
  /** Raw parameter values keyed by parameter name, as the runtime produced them. */
  rawParameters: Record<string, unknown>;
  /** Raw session value (object or id) for operations that need one. */
  rawSession?: unknown;
  /** The field users set the session in, for error messages. */
  sessionField: string;
  /** Creates the client on first use; may throw when credentials are missing. */
  getClient: () => AgentBayClient;
  progress: (text: string) => void;
  /**
   * Told about every retry the client makes for this run (a log line: Node-RED `node.warn`, n8n
   * `logger.warn`); the retry also shows through `progress`.
   */
  onRetry?: (text: string) => void;
  signal?: AbortSignal;
  clock?: Clock;
}

export interface OperationRun {
  /** The session given to the node (none when it used a temporary one). */
  session: SessionRef | undefined;
  output: OperationOutput;
  /** The validated input, for adapters that act on a setting after the run. */
  input: OperationInput;
}

/** If No Session is Fail: the usual "no session" error, which also names the other choice. */
function missingSession(request: OperationRequest): InputValidationError {
  try {
    toSessionRef(request.rawSession, request.sessionField);
  } catch (error) {
    if (error instanceof InputValidationError) {
      return new InputValidationError(error.field, error.expected, `${error.message} Or set If No Session to Use a Temporary Session.`);
    }
    throw error;
  }
  throw new Error('unreachable: a missing session was accepted');
}

/**
 * The session the operation gets: `required` turns anything but a session into an error naming the
 * field; `optional` also accepts nothing (undefined, null, blank), which the operation handles.
 */
function resolveSession(operation: OperationDefinition, request: OperationRequest): SessionRef | undefined {
  if (operation.session === 'none') return undefined;
  if (operation.session === 'optional' && isAbsentSession(request.rawSession)) return undefined;
  return toSessionRef(request.rawSession, request.sessionField);
}

/** Validates everything before any request is sent, then runs the operation. */
export async function runOperation(operation: OperationDefinition, request: OperationRequest): Promise<OperationRun> {
  const mayUseTemporary =
    operation.session === 'required' && offersTemporarySession(operation) && isAbsentSession(request.rawSession);
  const session = mayUseTemporary ? undefined : resolveSession(operation, request);
  const input = prepareInput(operation, request.rawParameters);
  if (mayUseTemporary && input[IF_NO_SESSION] !== USE_TEMPORARY) throw missingSession(request);

  let client: AgentBayClient | undefined;
  const context: OperationContext<'optional'> = {
    get client() {
      client ??= request.getClient().withRetryListener((event) => {
        const text = describeRetry(event);
        request.progress(`retrying: ${text}`);
        request.onRetry?.(text);
      });
      return client;
    },
    clock: request.clock ?? systemClock,
    session,
    progress: request.progress,
    signal: request.signal,
  };
  const output = mayUseTemporary ? await runInTemporarySession(operation, context, input) : await operation.execute(context, input);
  return { session, output, input };
}
