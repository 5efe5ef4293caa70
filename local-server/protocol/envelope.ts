/**
 * The JSON envelope of every answer (docs/protocol.md §2.2). Success must carry `Success:true` and `Code:"ok"`:
 * several SDK paths treat a missing `Success` as failure.
 */
import { randomUUID } from 'node:crypto';
import type { ApiError } from './errors';

export type Envelope = Record<string, unknown>;

/** Seen in the SDK's fixtures as an uppercase UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/**
 * `extra` holds envelope-level fields (pagination: NextToken, MaxResults, TotalCount) that sit
 * next to `Data`, not inside it. `data === undefined` means the Action has no `Data`.
 */
export function successEnvelope(requestId: string, data: unknown, extra: Envelope = {}): Envelope {
  const envelope: Envelope = { RequestId: requestId, Success: true, Code: 'ok', Message: '', HttpStatusCode: 200 };
  if (data !== undefined) envelope.Data = data;
  return { ...envelope, ...extra };
}

export function errorEnvelope(requestId: string, error: ApiError): Envelope {
  return {
    RequestId: requestId,
    Code: error.code,
    Message: error.message,
    HttpStatusCode: error.httpStatus,
    Success: false,
  };
}
