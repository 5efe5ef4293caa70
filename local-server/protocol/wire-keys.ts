/**
 * Keys that come off the wire (form keys, JSON object keys) become property names on the server.
 * `__proto__`, `constructor` and `prototype` would reach Object.prototype through plain objects,
 * so they are refused wherever wire input turns into objects, and those objects have no prototype.
 */

const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** A key as it may appear in an error message: client-chosen, so short and printable. */
export function quotedKey(key: string): string {
  const shown = key.length > 120 ? `${key.slice(0, 120)}...` : key;
  return JSON.stringify(shown.replace(/[^\x20-\x7e]/g, '?'));
}

/** An object that has no prototype: `obj[userKey]` can only ever be an own property. */
export function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
