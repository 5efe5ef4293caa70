/**
 * Identifiers in the shapes the cloud uses (`session-04bdwfj7u22a1s30g`), and the local API key.
 * Session ids become directory names in the sandbox, so they stay within [a-z0-9-].
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 252 = 7 * 36: rejecting bytes >= 252 keeps every character equally likely.
  for (let i = 0; out.length < length; i += 1) {
    const byte = i < bytes.length ? bytes[i] : randomBytes(1)[0];
    if (byte < 252) out += ALPHABET[byte % 36];
  }
  return out;
}

export function newSessionId(): string {
  return `session-${randomToken(17)}`;
}

export function newAppInstanceId(): string {
  return `ai-${randomToken(17)}`;
}

export function newResourceId(): string {
  return `p-${randomToken(17)}`;
}

/** The local server's own key: `akl-` + 32 hex characters. */
export function newApiKey(): string {
  return `akl-${randomBytes(16).toString('hex')}`;
}

/** Context ids, in the cloud's `SdkCtx-` form. */
export function newContextId(): string {
  return `SdkCtx-${randomToken(17)}`;
}
