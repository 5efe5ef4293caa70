/**
 * The runtime-neutral core of every node: validate the raw input, resolve the session, run the
 * operation. Both adapters call this and only translate what goes in and comes out.
 */
import type { AgentBayClient, Clock } from './client/client';
import { describeRetry, systemClock } from './client/client';
import { InputValidationError } from './client/errors';
import { contextRefFrom, isAbsentContext, resolveContextTarget, toContextTarget, type ContextRef, type ContextTarget } from './catalogue/context';
import { isAbsentSession, toSessionRef, type SessionRef } from './catalogue/session';
import { IF_NO_SESSION, offersTemporarySession, USE_TEMPORARY } from './catalogue/temporary-session';
import { takesContext, type OperationDefinition, type OperationInput, type OperationOutput, type RuntimeContext } from './catalogue/types';
import { prepareInput } from './catalogue/validation';
import { runtimeText, type RuntimeText } from './catalogue/runtime-texts';
import { runInTemporarySession } from './temporary-session';

export interface OperationRequest {
  /** Raw parameter values keyed by parameter name, as the runtime produced them. */
  rawParameters: Record<string, unknown>;
  /** Raw session value (object or id) for operations that need one. */
  rawSession?: unknown;
  /** The field users set the session in, for error messages. */
  sessionField: string;
  /** Raw Context field value (object, ID or name) for operations with a Context field. */
  rawContext?: unknown;
  /** The context the message carries (Node-RED `msg.agentbay.context`, n8n `json.context`). */
  carriedContext?: unknown;
  /** The field users set the context in, for error messages. */
  contextField?: string;
  /** Creates the client on first use; may throw when credentials are missing. */
  getClient: () => AgentBayClient;
  progress: (text: string | RuntimeText) => void;
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
  /** The context the Context field named (none for context-less operations). */
  context: ContextRef | undefined;
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
      return new InputValidationError(error.field, error.expected, runtimeText('orUseTemporarySession', { message: error.text ?? error.message }));
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

/** What the Context field names: `optional` accepts nothing; anything else not a context is an error. */
function contextTarget(operation: OperationDefinition, request: OperationRequest): ContextTarget | undefined {
  if (!takesContext(operation)) return undefined;
  if (operation.context === 'optional' && isAbsentContext(request.rawContext)) return undefined;
  return toContextTarget(request.rawContext, request.contextField ?? 'Context');
}

/** Validates everything before any request is sent, then runs the operation. */
export async function runOperation(operation: OperationDefinition, request: OperationRequest): Promise<OperationRun> {
  const mayUseTemporary =
    operation.session === 'required' && offersTemporarySession(operation) && isAbsentSession(request.rawSession);
  const session = mayUseTemporary ? undefined : resolveSession(operation, request);
  const target = contextTarget(operation, request);
  const input = prepareInput(operation, request.rawParameters);
  if (mayUseTemporary && input[IF_NO_SESSION] !== USE_TEMPORARY) throw missingSession(request);

  let client: AgentBayClient | undefined;
  const context: { -readonly [Key in keyof RuntimeContext]: RuntimeContext[Key] } = {
    get client() {
      client ??= request.getClient().withRetryListener((event) => {
        const text = describeRetry(event);
        request.progress(runtimeText('retrying', { reason: text }));
        request.onRetry?.(text);
      });
      return client;
    },
    clock: request.clock ?? systemClock,
    session,
    progress: request.progress,
    signal: request.signal,
    carriedContext: contextRefFrom(request.carriedContext),
  };
  // A context given by name is looked up only now, after every local check has passed.
  if (target) context.contextRef = 'ref' in target ? target.ref : await resolveContextTarget(context.client, target, { signal: request.signal });
  const output = mayUseTemporary ? await runInTemporarySession(operation, context, input) : await operation.execute(context, input);
  return { session, context: context.contextRef, output, input };
}

