/**
 * API key check. The key travels as the `Authorization` *parameter* (`Bearer <key>`), from the
 * query or the body (docs/protocol.md §2.1). Its value never appears in a message or a log line.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { invalidApiKey } from './errors';

/** Hashing first gives equal-length buffers, so the comparison leaks neither content nor length. */
function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** Throws a 401 `InvalidApiKey` unless `authorization` is `Bearer <expectedKey>`. */
export function checkAuthorization(authorization: string | undefined, expectedKey: string): void {
  if (authorization === undefined || authorization.trim() === '') {
    throw invalidApiKey('Missing API key: send the Authorization parameter as "Bearer <API key>".');
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) {
    throw invalidApiKey('Malformed Authorization parameter: expected "Bearer <API key>".');
  }
  if (!sameSecret(match[1].trim(), expectedKey)) {
    throw invalidApiKey('The API key is not valid for this server.');
  }
}
