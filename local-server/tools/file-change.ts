/**
 * get_file_change: changes under a directory since the previous call for that directory, found by
 * comparing snapshots (mtime, size, type). The first call for a directory records the baseline and
 * reports no changes, which is what a watcher started at that moment would report.
 *
 * Events follow what an inotify watcher sees on the cloud sandbox, which the SDK's watchDirectory
 * counts: a new file with content is a `create` then a `modify` (the write after the open), a new
 * empty file or directory is a `create` only, a changed file one `modify`, a removed one a `delete`.
 */
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fsError } from '../sandbox/errors';
import type { ToolContext } from './context';

export interface FileChangeArgs { path: string }

interface EntryState { mtimeMs: number; size: number; isDir: boolean }
type Snapshot = Map<string, EntryState>;

const MAX_ENTRIES = 50_000;

async function snapshot(rootHost: string, rootVirtual: string): Promise<Snapshot> {
  const snap: Snapshot = new Map();
  const stack: { host: string; virtual: string }[] = [{ host: rootHost, virtual: rootVirtual }];
  while (stack.length > 0 && snap.size < MAX_ENTRIES) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(dir.host);
    } catch {
      continue;
    }
    for (const name of names) {
      const host = path.join(dir.host, name);
      const virtual = path.posix.join(dir.virtual, name);
      try {
        const st = await lstat(host);
        snap.set(virtual, { mtimeMs: st.mtimeMs, size: st.size, isDir: st.isDirectory() });
        if (st.isDirectory()) stack.push({ host, virtual });
      } catch {
        // vanished between readdir and lstat
      }
    }
  }
  return snap;
}

export async function getFileChangeTool(args: FileChangeArgs, ctx: ToolContext): Promise<string> {
  const root = await ctx.paths.resolve(args.path);
  try {
    await readdir(root.host);
  } catch (err) {
    throw fsError(err, root.virtual);
  }
  const key = `file-change:${root.virtual}`;
  const previous = ctx.state.get(key) as Snapshot | undefined;
  const current = await snapshot(root.host, root.virtual);
  ctx.state.set(key, current);
  if (!previous) return '[]';
  const events: { eventType: string; path: string; pathType: string }[] = [];
  for (const [p, now] of current) {
    const before = previous.get(p);
    const pathType = now.isDir ? 'directory' : 'file';
    if (!before) {
      events.push({ eventType: 'create', path: p, pathType });
      if (!now.isDir && now.size > 0) events.push({ eventType: 'modify', path: p, pathType });
    } else if (!now.isDir && (before.mtimeMs !== now.mtimeMs || before.size !== now.size)) events.push({ eventType: 'modify', path: p, pathType });
  }
  for (const [p, before] of previous) {
    if (!current.has(p)) events.push({ eventType: 'delete', path: p, pathType: before.isDir ? 'directory' : 'file' });
  }
  return JSON.stringify(events);
}
