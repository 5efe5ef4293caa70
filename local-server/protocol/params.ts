/**
 * Request parameters: the query string and the form-urlencoded body, merged with the body
 * winning (docs/protocol.md §2.1: a few Actions put some parameters in the query, e.g. GetSessionDetail's SessionId).
 * Keys are client-chosen: the objects built here have no prototype, and a key with a `__proto__`,
 * `constructor` or `prototype` segment is refused (see wire-keys.ts).
 */
import { invalidParameter } from './errors';
import { emptyRecord, isForbiddenKey, quotedKey } from './wire-keys';

export type RawParams = Record<string, string>;

/** More parameters than any Action has, by far; bounds the work one request can cause. */
export const MAX_PARAMS = 1000;
/** Nesting of flattened keys such as `ExtraConfigs.Mobile.LockResolution`. */
const MAX_KEY_SEGMENTS = 16;

function checkKey(key: string): void {
  const bad = key.split('.').find(isForbiddenKey);
  if (bad !== undefined) {
    throw invalidParameter(`Invalid parameter ${quotedKey(key)}: the key segment "${bad}" is not allowed.`);
  }
}

/**
 * One form component: `+` is a space, then percent-decoding. decodeURIComponent is native and about 3×
 * faster than URLSearchParams on the megabyte values a file chunk carries (bench/); where it refuses a
 * component (a stray `%`, bytes that are not UTF-8), URLSearchParams's lenient rules decide, as before.
 */
function decodeComponent(text: string): string {
  const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return new URLSearchParams(`v=${text}`).get('v') ?? '';
  }
}

/** Decodes `a=1&b=x%20y&c=x+y` as URLSearchParams does; both `%20` and `+` mean a space. The last duplicate wins. */
export function parseForm(text: string): RawParams {
  const params = emptyRecord<string>();
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      if (++count > MAX_PARAMS) throw invalidParameter(`Too many parameters: at most ${MAX_PARAMS} are accepted.`);
      const equals = text.indexOf('=', start);
      const split = equals === -1 || equals > end ? end : equals;
      const key = decodeComponent(text.slice(start, split));
      checkKey(key);
      params[key] = split === end ? '' : decodeComponent(text.slice(split + 1, end));
    }
    start = end + 1;
  }
  return params;
}

export function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index < 0 ? '' : url.slice(index + 1);
}

export function pathOf(url: string): string {
  const index = url.indexOf('?');
  return index < 0 ? url : url.slice(0, index);
}

export function mergeParams(query: RawParams, body: RawParams): RawParams {
  return Object.assign(emptyRecord<string>(), query, body);
}

type Tree = Record<string, unknown>;

/**
 * Py's core flattens nested models into `Key.Sub.Leaf=value` form keys; rebuild the object
 * (prototype-less at every level). A key that is both a leaf and a branch is refused.
 */
export function unflatten(params: RawParams, prefix: string): Tree | undefined {
  const root = emptyRecord<unknown>();
  let found = false;
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    found = true;
    checkKey(key);
    const parts = key.slice(prefix.length + 1).split('.');
    if (parts.length > MAX_KEY_SEGMENTS || parts.includes('')) {
      throw invalidParameter(`Invalid parameter ${quotedKey(key)}: expected ${prefix}.<Name>[.<Name>...] with at most ${MAX_KEY_SEGMENTS} non-empty names.`);
    }
    let node = root;
    parts.forEach((part, i) => {
      const existing = node[part];
      if (i === parts.length - 1) {
        if (existing !== undefined) throw invalidParameter(`Invalid parameter ${quotedKey(key)}: ${prefix} has conflicting keys.`);
        node[part] = value;
        return;
      }
      if (existing === undefined) {
        const created = emptyRecord<unknown>();
        node[part] = created;
        node = created;
      } else if (typeof existing === 'object') {
        node = existing as Tree;
      } else {
        throw invalidParameter(`Invalid parameter ${quotedKey(key)}: ${prefix} has conflicting keys.`);
      }
    });
  }
  return found ? root : undefined;
}
