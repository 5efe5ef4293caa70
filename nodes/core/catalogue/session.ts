/**
 * The session as it travels on a message: plain JSON, never a live object, so it survives
 * restarts, queues, context stores and exports.
 */
import { InputValidationError } from '../client/errors';
import { fieldLabelText, RUNTIME_TEXTS, runtimeText, type TextValue } from './runtime-texts';

export interface SessionRef {
  sessionId: string;
  resourceUrl?: string;
  imageId?: string;
  labels?: Record<string, string>;
  createdAt?: string;
  [key: string]: unknown;
}

const SESSION_ID_EXPECTED = RUNTIME_TEXTS.sessionExpected;

/** What a session or context field held, for its error: nothing, an empty string, or the JSON (80 characters). */
export function describeGiven(value: unknown): TextValue {
  if (value === undefined) return runtimeText('gotNothing');
  if (value === '') return runtimeText('gotEmptyString');
  return JSON.stringify(value)?.slice(0, 80) ?? '';
}

/**
 * No session at all: nothing, null, a blank id, or an object without any sessionId key (a message
 * whose `agentbay` holds no session). A value that is there but malformed is not absent.
 */
export function isAbsentSession(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'object' && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>).sessionId;
    return id === undefined || id === null || (typeof id === 'string' && id.trim() === '');
  }
  return false;
}

/** Accepts a session object or a bare id; anything else is an error naming `field`. */
export function toSessionRef(value: unknown, field: string): SessionRef {
  if (typeof value === 'string' && value.trim() !== '') return { sessionId: value.trim() };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const id = (value as Record<string, unknown>).sessionId;
    if (typeof id === 'string' && id.trim() !== '') return { ...(value as SessionRef), sessionId: id.trim() };
  }
  throw new InputValidationError(
    field,
    SESSION_ID_EXPECTED,
    runtimeText('invalidSession', { field: fieldLabelText('session', field), expected: runtimeText('sessionExpected'), got: describeGiven(value) }),
  );
}
