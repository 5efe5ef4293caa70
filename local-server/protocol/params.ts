/**
 * Request parameters: the query string and the form-urlencoded body, merged with the body
 * winning (docs/protocol.md §2.1: a few Actions put some parameters in the query, e.g. GetSessionDetail's SessionId).
 */

export type RawParams = Record<string, string>;

/** Decodes `a=1&b=x%20y&c=x+y`; both `%20` and `+` mean a space. The last duplicate wins. */
export function parseForm(text: string): RawParams {
  const params: RawParams = {};
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
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
  return { ...query, ...body };
}

/** Py's core flattens nested models into `Key.Sub.Leaf=value` form keys; rebuild the object. */
export function unflatten(params: RawParams, prefix: string): Record<string, unknown> | undefined {
  const root: Record<string, unknown> = {};
  let found = false;
  for (const [key, value] of Object.entries(params)) {
    if (!key.startsWith(`${prefix}.`)) continue;
    found = true;
    const parts = key.slice(prefix.length + 1).split('.');
    let node = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'object' && next !== null) {
        node = next as Record<string, unknown>;
      } else {
        const created: Record<string, unknown> = {};
        node[part] = created;
        node = created;
      }
    });
  }
  return found ? root : undefined;
}
