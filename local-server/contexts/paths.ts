/**
 * Paths as contexts see them. A context file is keyed by the absolute path it had in the session
 * that uploaded it (`/home/wuying/notes.txt`), which is how the SDK names files in
 * GetContextFileUploadUrl and lists them with DescribeContextFiles (docs/protocol.md §3.2).
 * Everything here is lexical: hostile input is refused before anything touches the disk.
 */
import * as path from 'node:path';
import { invalidParameter } from '../protocol/errors';

export const MAX_PATH_LENGTH = 1024;
const MAX_COMPONENT_LENGTH = 255;
/** The areas of a session that exist on the local server (sandbox/paths.ts). */
const SESSION_ROOTS = ['/home/wuying', '/tmp'];

/**
 * A context file path: absolute, normalised, no `.`/`..` left, no NUL or control characters,
 * bounded length. Returns the canonical form (`/a//b/` → `/a/b`).
 */
export function contextFilePath(input: string, field: string): string {
  if (input.length === 0 || input.length > MAX_PATH_LENGTH) {
    throw invalidParameter(`Invalid parameter ${field}: expected an absolute path of 1 to ${MAX_PATH_LENGTH} characters.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(input)) throw invalidParameter(`Invalid parameter ${field}: the path contains control characters.`);
  if (!input.startsWith('/')) throw invalidParameter(`Invalid parameter ${field}: expected an absolute path starting with "/", got ${JSON.stringify(input.slice(0, 80))}.`);
  if (input.split('/').some((c) => c === '..')) throw invalidParameter(`Invalid parameter ${field}: ".." is not allowed in a context path.`);
  const normal = path.posix.normalize(input);
  const canonical = normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
  if (canonical.split('/').some((c) => c.length > MAX_COMPONENT_LENGTH)) {
    throw invalidParameter(`Invalid parameter ${field}: a path component is longer than ${MAX_COMPONENT_LENGTH} characters.`);
  }
  return canonical;
}

/** A path a session can sync: a context path inside `/home/wuying` or `/tmp` (not the roots' parents). */
export function sessionSyncPath(input: string, field: string): string {
  const canonical = contextFilePath(input, field);
  if (!SESSION_ROOTS.some((root) => isUnder(canonical, root))) {
    throw invalidParameter(
      `Invalid parameter ${field}: ${JSON.stringify(canonical)} is outside the session; a synced path must be inside /home/wuying or /tmp.`,
    );
  }
  return canonical;
}

/** `child` is `parent` or below it. */
export function isUnder(child: string, parent: string): boolean {
  if (parent === '/') return true;
  return child === parent || child.startsWith(`${parent}/`);
}

/** `key` under `from`, re-rooted under `to` (`/a/x` from `/a` to `/b` → `/b/x`). */
export function reroot(key: string, from: string, to: string): string {
  if (key === from) return to;
  const rest = from === '/' ? key : key.slice(from.length);
  return to === '/' ? rest : `${to}${rest}`;
}

/** The part of `key` below `root`, without a leading slash ('' for the root itself). */
export function relativeTo(key: string, root: string): string {
  if (key === root) return '';
  return key.slice(root === '/' ? 1 : root.length + 1);
}
