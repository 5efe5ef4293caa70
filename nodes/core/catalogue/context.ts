/**
 * The context as it travels on a message (Node-RED `msg.agentbay.context`, n8n `json.context`):
 * plain JSON like the session (./session.ts), so it survives restarts, queues and exports. The
 * Context field of the nodes that work on a context takes this object, a context ID or a name.
 */
import type { AgentBayClient, CallOptions } from '../client/client';
import { AgentBayError, InputValidationError } from '../client/errors';
import { fieldLabelText, RUNTIME_TEXTS, runtimeText } from './runtime-texts';
import { describeGiven } from './session';
import { asRecord, str } from './session-api';

export interface ContextRef {
  contextId: string;
  name?: string;
  createdAt?: string;
  lastUsedAt?: string;
  state?: string;
  [key: string]: unknown;
}

/** What a Context field names: a known context, or a name still to be looked up. */
export type ContextTarget = { ref: ContextRef } | { name: string };

/** Context IDs as the service makes them (`SdkCtx-` and lower-case letters and digits). */
const CONTEXT_ID = /^SdkCtx-[A-Za-z0-9]{1,64}$/;
/** Names as the service accepts them: 1 to 256 characters, no control characters. */
const MAX_NAME_LENGTH = 256;
const hasControlCharacter = (text: string): boolean => [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);

export const CONTEXT_EXPECTED = RUNTIME_TEXTS.contextExpected;
/** The Context field's property name in both runtimes (Node-RED's form, n8n's parameter). */
const CONTEXT_FIELD = 'contextRef';

export const isContextId = (text: string): boolean => CONTEXT_ID.test(text);

/** A context name, or an error naming `field`. */
export function checkContextName(value: string, field: string, label = field): string {
  if (value.length > MAX_NAME_LENGTH || hasControlCharacter(value)) {
    throw new InputValidationError(
      field,
      'a name of 1 to 256 characters without control characters',
      `${label} must be a name of 1 to 256 characters without control characters`,
    );
  }
  return value;
}

/** No context at all: nothing, null, a blank string, or an object without a contextId. */
export function isAbsentContext(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>).contextId;
    return id === undefined || id === null || (typeof id === 'string' && id.trim() === '');
  }
  return false;
}

/**
 * The known fields of a context object from a message, copied one by one (the object is message
 * input); `undefined` when it has no usable contextId.
 */
export function contextRefFrom(value: unknown): ContextRef | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const contextId = typeof record.contextId === 'string' ? record.contextId.trim() : '';
  if (contextId === '') return undefined;
  const ref: ContextRef = { contextId };
  for (const key of ['name', 'createdAt', 'lastUsedAt', 'state'] as const) {
    const field = record[key];
    if (typeof field === 'string' && field !== '') ref[key] = field;
  }
  return ref;
}

/** Reads a Context field: an object, an ID or a name; anything else is an error naming `field`. */
export function toContextTarget(value: unknown, field: string): ContextTarget {
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    return isContextId(text) ? { ref: { contextId: text } } : { name: checkContextName(text, field) };
  }
  const ref = contextRefFrom(value);
  if (ref) return { ref };
  throw new InputValidationError(
    field,
    CONTEXT_EXPECTED,
    runtimeText('invalidContext', { field: fieldLabelText(CONTEXT_FIELD, field), expected: runtimeText('contextExpected'), got: describeGiven(value) }),
  );
}

/** The context of a `GetContext` / `ListContexts` item (`{Id, Name, CreateTime, LastUsedTime, State}`). */
export function contextFromData(data: unknown): ContextRef {
  const record = asRecord(data);
  const ref: ContextRef = { contextId: str(record.Id) };
  if (str(record.Name) !== '') ref.name = str(record.Name);
  if (str(record.CreateTime) !== '') ref.createdAt = str(record.CreateTime);
  if (str(record.LastUsedTime) !== '') ref.lastUsedAt = str(record.LastUsedTime);
  if (str(record.State) !== '') ref.state = str(record.State);
  return ref;
}

export interface FetchedContext {
  context: ContextRef;
  requestId: string;
}

/**
 * GetContext by name (created when `allowCreate`) or by ID, with the SDK's texts: a missing
 * `Data.Id` is `Context ID not found in response`; any failure reads `Failed to get context <x>: …`.
 */
export async function fetchContext(
  client: AgentBayClient,
  by: { name: string; allowCreate: boolean } | { contextId: string },
  options: CallOptions = {},
): Promise<FetchedContext> {
  const label = 'name' in by ? by.name : by.contextId;
  try {
    const envelope = await client.call(
      'GetContext',
      'name' in by
        ? { Name: by.name, AllowCreate: by.allowCreate ? 'true' : 'false' }
        : { ContextId: by.contextId, AllowCreate: 'false' },
      options,
    );
    const context = contextFromData(envelope.Data);
    if (context.contextId === '') {
      throw new AgentBayError('Context ID not found in response', { code: 'InvalidResponse', requestId: str(envelope.RequestId) });
    }
    return { context, requestId: str(envelope.RequestId) };
  } catch (error) {
    if (!(error instanceof AgentBayError)) throw error;
    if (error.code === 'Aborted') throw error;
    throw new AgentBayError(`Failed to get context ${label}: ${error.message}`, {
      code: error.code,
      requestId: error.requestId,
      httpStatus: error.httpStatus,
      retryable: error.retryable,
    });
  }
}

/** The context a Context field names; a name is looked up (never created). */
export async function resolveContextTarget(
  client: AgentBayClient,
  target: ContextTarget,
  options: CallOptions = {},
): Promise<ContextRef> {
  if ('ref' in target) return target.ref;
  return (await fetchContext(client, { name: target.name, allowCreate: false }, options)).context;
}
