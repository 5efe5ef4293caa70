/**
 * The session's disk limit. Where the server may mount (root), each session directory is its own
 * size-limited tmpfs: the kernel refuses writes beyond it (ENOSPC) for commands and for the
 * server's file tools alike, and both see the same files. Elsewhere the server measures the
 * directory itself (file tools refuse to grow it past the limit; commands only get a per-file
 * RLIMIT_FSIZE).
 */
import { lstat, mkdir, readdir, rmdir, statfs } from 'node:fs/promises';
import * as path from 'node:path';
import { viaMountHelper } from './mount-helper';

/** A usage walk stops counting after this many entries (it is a guard, not an accounting system). */
const MAX_WALK_ENTRIES = 200_000;

/** Resolves null once mounted, else the reason (mount's first error line). */
export function mountTmpfs(dir: string, bytes: number): Promise<string | null> {
  return viaMountHelper('mount', String(bytes), dir);
}

/** Lazy, so a straggler that still has a file open cannot make the unmount fail. */
export function unmount(dir: string): Promise<string | null> {
  return viaMountHelper('umount', '', dir);
}

/** Whether sessions can get their own tmpfs here; null when yes, else the reason. */
export async function probeTmpfsMount(probeDir: string): Promise<string | null> {
  if (process.platform !== 'linux') return 'not Linux';
  await mkdir(probeDir, { recursive: true });
  try {
    const failure = await mountTmpfs(probeDir, 1024 * 1024);
    if (failure !== null) return `cannot mount a tmpfs (${failure})`;
    const st = await statfs(probeDir);
    await unmount(probeDir);
    if (st.blocks * st.bsize > 4 * 1024 * 1024) return 'the tmpfs size option had no effect';
    return null;
  } finally {
    await rmdir(probeDir).catch(() => undefined);
  }
}

/** Bytes in use on the filesystem holding `dir` (the session's own tmpfs). */
export async function filesystemUsage(dir: string): Promise<number> {
  const st = await statfs(dir);
  return (st.blocks - st.bfree) * st.bsize;
}

/** Bytes the files under `dir` occupy (allocated blocks, so sparse files count what they use). */
export async function treeUsage(dir: string): Promise<number> {
  let total = 0;
  let seen = 0;
  const stack = [dir];
  while (stack.length > 0 && seen < MAX_WALK_ENTRIES) {
    const current = stack.pop()!;
    let names: string[];
    try {
      names = await readdir(current);
    } catch {
      continue;
    }
    for (const name of names) {
      seen++;
      const p = path.join(current, name);
      try {
        const st = await lstat(p);
        total += st.blocks * 512;
        if (st.isDirectory()) stack.push(p);
      } catch {
        // vanished meanwhile
      }
    }
  }
  return total;
}
