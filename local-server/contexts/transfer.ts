/**
 * Moving files between a session's directory and a context: one upload (session → context) or one
 * download (context → session) of a path. Session paths go through the sandbox's SessionPaths (the
 * same containment rules as the file tools), every open is O_NOFOLLOW and re-checked on its fd,
 * and downloads respect the session's disk limit (the kernel's, on a per-session tmpfs, and the
 * server-side check otherwise). Symbolic links and special files in the session are not uploaded.
 */
import { constants as C } from 'node:fs';
import { lstat, mkdir, open, readdir, utimes } from 'node:fs/promises';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SessionPaths, ToolError, type SessionWorkspace } from '../sandbox';
import { isSynced, type SyncRules } from './policy';
import { isUnder, relativeTo, reroot } from './paths';
import type { ContextRecord, ContextStore } from './store';

export class TransferError extends Error {}

function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as NodeJS.ErrnoException).code : undefined;
}

export interface TransferSpec {
  context: ContextRecord;
  /** The session path this task moves (the binding's path or a path below it). */
  path: string;
  /** The binding's path: white lists are relative to it. */
  root: string;
  rules: SyncRules;
  /** Downloads of the whole binding read from here in the context (mapping policy); default `root`. */
  sourcePrefix?: string;
}

/** Session files (virtual path → host path) at or below `start`, regular files only, bounded. */
async function walk(paths: SessionPaths, start: string, limit: number): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let resolved;
  try {
    resolved = await paths.resolve(start);
  } catch (err) {
    if (err instanceof ToolError) throw new TransferError(err.message);
    throw err;
  }
  const top = await lstat(resolved.host).catch(() => null);
  if (!top) return found;
  if (top.isFile()) {
    found.set(start, resolved.host);
    return found;
  }
  if (!top.isDirectory()) return found;
  const stack: [string, string][] = [[start, resolved.host]];
  while (stack.length > 0) {
    const [virtual, host] = stack.pop() as [string, string];
    let names: string[];
    try {
      names = await readdir(host);
    } catch {
      continue;
    }
    for (const name of names) {
      const v = virtual === '/' ? `/${name}` : `${virtual}/${name}`;
      const h = path.join(host, name);
      const st = await lstat(h).catch(() => null);
      if (!st) continue;
      if (st.isDirectory()) stack.push([v, h]);
      else if (st.isFile()) {
        if (found.size >= limit) throw new TransferError(`More than ${limit} files under ${start}; a context holds at most ${limit}.`);
        found.set(v, h);
      }
    }
  }
  return found;
}

export async function upload(store: ContextStore, workspace: SessionWorkspace, spec: TransferSpec): Promise<void> {
  const paths = new SessionPaths(workspace.rootDir);
  const local = await walk(paths, spec.path, store.limits.maxFilesPerContext);
  for (const [virtual, host] of local) {
    if (!isSynced(spec.rules, relativeTo(virtual, spec.root))) continue;
    const fh = await open(host, C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK).catch((err: unknown) => {
      throw new TransferError(`Cannot read ${virtual}: ${errnoOf(err) ?? String(err)}`);
    });
    try {
      await paths.assertFdInside(fh.fd, virtual);
      const st = await fh.stat();
      if (!st.isFile()) continue;
      const modifiedAt = Math.floor(st.mtimeMs);
      const existing = spec.context.files.get(virtual);
      if (existing && existing.size === st.size && existing.modifiedAt === modifiedAt) continue;
      // The stream below owns the handle from here (closing a FileHandle waits for its streams).
      if (st.size > store.limits.maxFileBytes) throw new TransferError(`${virtual} is larger than the limit of ${store.limits.maxFileBytes} bytes.`);
      await store.putFile(spec.context, virtual, fh.createReadStream({ start: 0 }), modifiedAt);
    } finally {
      await fh.close().catch(() => undefined);
    }
  }
  if (spec.rules.mirrorDeletes) {
    for (const [key] of store.filesUnder(spec.context, spec.path)) {
      if (!local.has(key) && isSynced(spec.rules, relativeTo(key, spec.root))) await store.deleteFile(spec.context, key);
    }
  }
}

export async function download(store: ContextStore, workspace: SessionWorkspace, spec: TransferSpec): Promise<void> {
  const paths = new SessionPaths(workspace.rootDir);
  // A whole binding reads from the mapping path when one is set; a path below it reads itself.
  const source = spec.path === spec.root ? spec.sourcePrefix ?? spec.root : spec.path;
  for (const [key, file] of store.filesUnder(spec.context, source)) {
    const target = reroot(key, source, spec.path);
    if (!isUnder(target, spec.path) || !isSynced(spec.rules, relativeTo(target, spec.root))) continue;
    let resolved;
    try {
      resolved = await paths.resolve(target);
    } catch (err) {
      if (err instanceof ToolError) throw new TransferError(err.message);
      throw err;
    }
    const current = await lstat(resolved.host).catch(() => null);
    if (current?.isFile() && current.size === file.size && Math.floor(current.mtimeMs) === file.modifiedAt) continue;
    if (current && !current.isFile()) throw new TransferError(`Cannot write ${target}: it exists and is not a regular file.`);
    await workspace.disk?.assertRoomFor(file.size, current?.size ?? 0, target).catch((err: unknown) => {
      throw new TransferError(err instanceof Error ? err.message : String(err));
    });
    const parent = path.dirname(resolved.host);
    try {
      await mkdir(parent, { recursive: true });
      await paths.assertRealpathInside(parent, target);
      const fh = await open(resolved.host, C.O_WRONLY | C.O_CREAT | C.O_TRUNC | C.O_NOFOLLOW | C.O_NONBLOCK, 0o644);
      try {
        await paths.assertFdInside(fh.fd, target);
        await pipeline(store.openBlob(spec.context, file), fh.createWriteStream({ start: 0 }));
      } finally {
        await fh.close().catch(() => undefined);
      }
      const when = new Date(file.modifiedAt);
      await utimes(resolved.host, when, when);
    } catch (err) {
      if (err instanceof ToolError) throw new TransferError(err.message);
      const code = errnoOf(err);
      if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
        throw new TransferError(workspace.disk ? workspace.disk.fullError(target).message : `No space left on device: ${target}`);
      }
      throw new TransferError(`Cannot write ${target}: ${code ?? (err instanceof Error ? err.message : String(err))}`);
    }
  }
}
