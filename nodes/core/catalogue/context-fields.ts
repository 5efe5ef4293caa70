/**
 * Parameters and outputs that the context operations share, written once with their literal
 * types kept for `defineOperation`.
 */
import { AgentBayError } from '../client/errors';
import type { RpcEnvelope } from '../client/client';
import type { ContextRef } from './context';
import { requestIdOutput } from './common-parameters';
import { defineOutput, defineParameter } from './define';
import { str } from './session-api';

/** The fields of a context in a result, as on the message (`ContextRef`). */
export const contextOutputs = [
  defineOutput({ name: 'contextId', type: 'string', description: 'ID of the context (SdkCtx-…).' }),
  defineOutput({ name: 'name', type: 'string', description: 'Name of the context.' }),
  defineOutput({ name: 'createdAt', type: 'string', description: 'When the context was made (ISO 8601).', optional: true }),
  defineOutput({ name: 'lastUsedAt', type: 'string', description: 'When a session last used the context (ISO 8601).', optional: true }),
  defineOutput({ name: 'state', type: 'string', description: 'available, in-use, pre-available or clearing.', optional: true }),
] as const;

/** The result fields of a context (a `ContextRef` always has an id; the name may be unknown). */
export function contextJson(context: ContextRef) {
  return {
    contextId: context.contextId,
    name: context.name ?? '',
    createdAt: context.createdAt,
    lastUsedAt: context.lastUsedAt,
    state: context.state,
  };
}

/** Absolute, at most 4096 characters, no `..` segment: a path inside the session's file tree. */
export const SESSION_PATH_SCHEMA = {
  type: 'string',
  minLength: 1,
  maxLength: 4096,
  pattern: '^/',
  not: { pattern: '(^|/)\\.\\.(/|$)' },
} as const;
export const SESSION_PATH_EXPECTED = 'an absolute path in the session, e.g. /home/wuying/data/report.csv, without .. segments';

export const contextFilePathParameter = (description: string) =>
  defineParameter({
    name: 'filePath',
    displayName: 'File Path',
    description,
    kind: 'string',
    default: '',
    required: true,
    placeholder: '/home/wuying/data/report.csv',
    schema: SESSION_PATH_SCHEMA,
    expected: SESSION_PATH_EXPECTED,
  });

/**
 * The SDK's rule for actions whose `Success` it checks itself: an envelope without an error code
 * but with `Success: false` is a failure `[Code|Unknown] Message|<fallback>`.
 */
export function failUnlessSuccessful(envelope: RpcEnvelope<unknown>, fallback: string): void {
  if (envelope.Success !== false) return;
  throw new AgentBayError(`[${str(envelope.Code) || 'Unknown'}] ${str(envelope.Message) || fallback}`, {
    code: str(envelope.Code) || 'Unknown',
    requestId: str(envelope.RequestId),
  });
}

/** The result of Get File Upload URL and Get File Download URL. */
export const contextFileUrlOutputs = [
  defineOutput({ name: 'url', type: 'string', description: 'The presigned URL (valid about an hour). It carries no API key, but whoever holds it can use it until it expires.' }),
  defineOutput({ name: 'expireTime', type: 'number', description: 'When the URL expires (Unix seconds).' }),
  defineOutput({ name: 'contextId', type: 'string', description: 'ID of the context.' }),
  defineOutput({ name: 'filePath', type: 'string', description: 'The context file the URL is for.' }),
  requestIdOutput,
] as const;
