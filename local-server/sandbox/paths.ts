/**
 * The one place that maps a session's virtual paths (`/home/wuying/...`, `/tmp/...`, relative to
 * `/home/wuying`) onto the host directory `<rootDir>/home/wuying`, `<rootDir>/tmp`.
 *
 * Symbolic links are resolved *virtually*, component by component: an absolute link target is a
 * path of the session's own filesystem (as the sandboxed command that made it saw it), so
 * `ln -s /etc/passwd x` leads to virtual `/etc/passwd` and is refused, and `ln -s /tmp/a x` leads
 * into the session's tmp. After that, the host realpath of the result (or of its deepest existing
 * ancestor) is checked to lie inside the session root as a second line of defence.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { errnoCode, ToolError } from './errors';

export const HOME = '/home/wuying';
export const TMP = '/tmp';
const MAX_SYMLINK_HOPS = 40;

export interface ResolvedPath {
  /** Absolute, lexically normalised virtual path as the caller named it (used in messages). */
  virtual: string;
  /** Host path with every symlink resolved (the last component only when `followFinal`). */
  host: string;
}

export interface ResolveOptions {
  /** Resolve a symlink in the last component (default true); false for delete/move/lstat. */
  followFinal?: boolean;
}

export function accessDenied(input: string): ToolError {
  return new ToolError(`Access denied: path is outside the session: ${input}`);
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

export class SessionPaths {
  readonly homeHost: string;
  readonly tmpHost: string;

  /** `rootDir` must already be a realpath (symlink-free) for the containment checks to hold. */
  constructor(readonly rootDir: string) {
    this.homeHost = path.join(rootDir, 'home', 'wuying');
    this.tmpHost = path.join(rootDir, 'tmp');
  }

  /** Lexical normalisation only: relative → under /home/wuying, `~` → /home/wuying. */
  normalize(input: string): string {
    return path.posix.normalize(this.expand(input));
  }

  /** Absolute but not normalised (symlink resolution needs the raw `..` components). */
  private expand(input: string): string {
    if (input.includes('\0')) throw new ToolError('Invalid path: contains a NUL byte');
    const p = input.trim();
    if (p === '' || p === '~') return HOME;
    if (p.startsWith('~/')) return HOME + p.slice(1);
    return p.startsWith('/') ? p : `${HOME}/${p}`;
  }

  /** Virtual path components → host path, or null when they are not inside a mounted area. */
  private mapComponents(parts: readonly string[]): string | null {
    if (parts[0] === 'home' && parts[1] === 'wuying') return path.join(this.homeHost, ...parts.slice(2));
    if (parts[0] === 'tmp') return path.join(this.tmpHost, ...parts.slice(1));
    return null;
  }

  toVirtual(hostPath: string): string | null {
    if (isWithin(hostPath, this.homeHost)) return HOME + hostPath.slice(this.homeHost.length);
    if (isWithin(hostPath, this.tmpHost)) return TMP + hostPath.slice(this.tmpHost.length);
    return null;
  }

  /** True for `/home/wuying` and `/tmp` themselves, which must not be deleted or moved. */
  isMountRoot(hostPath: string): boolean {
    return hostPath === this.homeHost || hostPath === this.tmpHost;
  }

  async resolve(input: string, options: ResolveOptions = {}): Promise<ResolvedPath> {
    const followFinal = options.followFinal !== false;
    const virtual = this.normalize(input);
    // Walk the *unnormalised* components so `link/..` behaves as POSIX does.
    const queue = this.expand(input).split('/').filter((c) => c !== '');
    const resolved: string[] = [];
    let hops = 0;
    let missing = false;
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === '.') continue;
      if (c === '..') {
        resolved.pop();
        continue;
      }
      resolved.push(c);
      const host = this.mapComponents(resolved);
      if (host === null || missing) continue;
      if (queue.length === 0 && !followFinal) continue;
      let isLink = false;
      try {
        isLink = (await lstat(host)).isSymbolicLink();
      } catch (err) {
        // Nothing below a missing component can be a link; ENOTDIR surfaces later as a real error.
        if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') missing = true;
        else throw err;
      }
      if (!isLink) continue;
      if (++hops > MAX_SYMLINK_HOPS) throw new ToolError(`Too many levels of symbolic links: ${virtual}`);
      const target = await readlink(host);
      resolved.pop();
      let targetParts: string[];
      if (target.startsWith('/')) {
        // In process mode a command sees host paths; map those back when they are inside the session.
        const asVirtual = this.toVirtual(path.normalize(target)) ?? target;
        targetParts = asVirtual.split('/').filter((p) => p !== '');
        resolved.length = 0;
      } else {
        targetParts = target.split('/').filter((p) => p !== '');
      }
      queue.unshift(...targetParts);
    }
    const host = this.mapComponents(resolved);
    if (host === null) throw accessDenied(input);
    await this.assertRealpathInside(followFinal ? host : path.dirname(host), input);
    return { virtual, host };
  }

  /** Realpath of `host` (or of its deepest existing ancestor) must stay inside the session root. */
  async assertRealpathInside(host: string, input: string): Promise<void> {
    let probe = host;
    for (;;) {
      try {
        const real = await realpath(probe);
        if (!isWithin(real, this.rootDir)) throw accessDenied(input);
        return;
      } catch (err) {
        if (err instanceof ToolError) throw err;
        const code = errnoCode(err);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
        const parent = path.dirname(probe);
        if (parent === probe) throw accessDenied(input);
        probe = parent;
      }
    }
  }

  /** After opening: the fd must point inside the session (catches a symlink swapped in meanwhile). */
  async assertFdInside(fd: number, input: string): Promise<void> {
    const real = await readlink(`/proc/self/fd/${fd}`);
    if (!isWithin(real, this.rootDir)) throw accessDenied(input);
  }
}
