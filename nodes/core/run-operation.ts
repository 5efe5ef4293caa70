/**
 * The runtime-neutral core of every node: validate the raw input, resolve the session, run the
 * operation. Both adapters call this and only translate what goes in and comes out.
 */
import type { AgentBayClient, Clock } from './client/client';
import { systemClock } from './client/client';
import { toSessionRef, type SessionRef } from './catalogue/session';
import type { OperationDefinition, OperationOutput } from './catalogue/types';
import { prepareInput } from './catalogue/validation';

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
  signal?: AbortSignal;
  clock?: Clock;
}

export interface OperationRun {
  session: SessionRef | undefined;
  output: OperationOutput;
}

/** Validates everything before any request is sent, then runs the operation. */
export async function runOperation(operation: OperationDefinition, request: OperationRequest): Promise<OperationRun> {
  const session = operation.session === 'required' ? toSessionRef(request.rawSession, request.sessionField) : undefined;
  const input = prepareInput(operation, request.rawParameters);
  let client: AgentBayClient | undefined;
  const output = await operation.execute(
    {
      get client() {
        client ??= request.getClient();
        return client;
      },
      clock: request.clock ?? systemClock,
      session,
      progress: request.progress,
      signal: request.signal,
    },
    input,
  );
  return { session, output };
}
