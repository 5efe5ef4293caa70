/**
 * JSON that arrives inside a wire parameter (Labels, PersistenceDataList, ExtraConfigs, Args, ...).
 * Objects come back without a prototype, and the key segments of wire-keys.ts are refused.
 */
import { emptyRecord, isForbiddenKey, quotedKey } from './wire-keys';

export type JsonParseResult =
  | { ok: true; value: unknown }
  /** `forbiddenKey`: valid JSON, refused for a key; otherwise not JSON at all. */
  | { ok: false; reason: string; forbiddenKey: boolean };

class ForbiddenKeyError extends Error {}

/**
 * JSON.parse with a reviver that refuses forbidden keys and copies every object into a
 * prototype-less one. The reviver runs bottom-up, so nested objects are already copied.
 */
export function parseWireJson(text: string): JsonParseResult {
  try {
    const value: unknown = JSON.parse(text, (key: string, v: unknown) => {
      if (isForbiddenKey(key)) throw new ForbiddenKeyError(`the key ${quotedKey(key)} is not allowed`);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) return Object.assign(emptyRecord<unknown>(), v);
      return v;
    });
    return { ok: true, value };
  } catch (err) {
    if (err instanceof ForbiddenKeyError) return { ok: false, reason: err.message, forbiddenKey: true };
    return { ok: false, reason: 'the value is not valid JSON', forbiddenKey: false };
  }
}

/**
 * The first forbidden key anywhere in an already-built value, as a dotted path, or undefined.
 * For values that did not come through parseWireJson (e.g. tool arguments passed in-process).
 * Iterative, so a deeply nested value cannot overflow the stack.
 */
export function findForbiddenKey(value: unknown): string | undefined {
  const pending: { node: unknown; path: string }[] = [{ node: value, path: '' }];
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if (typeof item.node !== 'object' || item.node === null) continue;
    for (const key of Object.keys(item.node)) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (isForbiddenKey(key)) return path;
      pending.push({ node: (item.node as Record<string, unknown>)[key], path });
    }
  }
  return undefined;
}
