/**
 * File reads and writes inside a session. Every open uses O_NOFOLLOW and then checks where the fd
 * really points, so a symlink swapped in after path resolution cannot redirect the operation.
 */
import { constants as C } from 'node:fs';
import { lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { errnoCode, fsError, ToolError } from '../sandbox/errors';
import type { ResolvedPath, SessionPaths } from '../sandbox/paths';
import type { DiskQuota } from './context';

/** A single read may not pull more than this into memory (the SDK reads in ~60 KB chunks anyway). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * O_NONBLOCK: opening a FIFO a command made would otherwise block a libuv thread forever; with
 * it the open returns at once and the regular-file check below refuses the FIFO.
 */
async function openChecked(paths: SessionPaths, target: ResolvedPath, flags: number, input: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(target.host, flags | C.O_NOFOLLOW | C.O_NONBLOCK, 0o644);
  } catch (err) {
    if (errnoCode(err) === 'ENXIO') throw new ToolError(`Not a regular file: ${target.virtual}`);
    throw fsError(err, target.virtual);
  }
  try {
    await paths.assertFdInside(fh.fd, input);
    const st = await fh.stat();
    if (st.isDirectory()) throw new ToolError(`Is a directory: ${target.virtual}`);
    if (!st.isFile()) throw new ToolError(`Not a regular file: ${target.virtual}`);
    return fh;
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

/** Reads `length` bytes (0 = to the end) from byte `offset`. */
export async function readRange(paths: SessionPaths, target: ResolvedPath, input: string, offset: number, length: number): Promise<Buffer> {
  const fh = await openChecked(paths, target, C.O_RDONLY, input);
  try {
    const st = await fh.stat();
    const available = Math.max(0, st.size - offset);
    const want = length > 0 ? Math.min(length, available) : available;
    if (want > MAX_READ_BYTES) {
      throw new ToolError(`File too large to read in one call (${want} bytes); use offset and length: ${target.virtual}`);
    }
    const buf = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await fh.read(buf, got, want - got, offset + got);
      if (bytesRead === 0) break; // file shrank meanwhile
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } catch (err) {
    throw fsError(err, target.virtual);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

export async function readWhole(paths: SessionPaths, target: ResolvedPath, input: string): Promise<Buffer> {
  return readRange(paths, target, input, 0, 0);
}

export type WriteMode = 'overwrite' | 'append' | 'create_new';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** Size of the regular file an overwrite would replace (0 when there is none). */
async function replacedSize(target: ResolvedPath, mode: WriteMode): Promise<number> {
  if (mode !== 'overwrite') return 0;
  const st = await lstat(target.host).catch(() => null);
  return st?.isFile() ? st.size : 0;
}

/**
 * Writes data, creating missing parent directories first (inside the session only). The session's
 * disk limit is checked first, so a write that cannot fit leaves the existing file untouched.
 */
export async function writeData(paths: SessionPaths, disk: DiskQuota, target: ResolvedPath, input: string, data: Buffer | string, mode: WriteMode): Promise<void> {
  await disk.assertRoomFor(Buffer.byteLength(data), await replacedSize(target, mode), target.virtual);
  const parent = path.dirname(target.host);
  try {
    await mkdir(parent, { recursive: true });
  } catch (err) {
    if (NO_SPACE.has(errnoCode(err) ?? '')) throw disk.fullError(path.posix.dirname(target.virtual));
    throw fsError(err, path.posix.dirname(target.virtual));
  }
  // The new directories were created under a checked, symlink-free path; re-check for races.
  await paths.assertRealpathInside(parent, input);
  const modeFlags = mode === 'append' ? C.O_APPEND : mode === 'create_new' ? C.O_EXCL : C.O_TRUNC;
  const fh = await openChecked(paths, target, C.O_WRONLY | C.O_CREAT | modeFlags, input);
  try {
    await fh.writeFile(data);
  } catch (err) {
    if (NO_SPACE.has(errnoCode(err) ?? '')) throw disk.fullError(target.virtual);
    throw fsError(err, target.virtual);
  } finally {
    await fh.close().catch(() => undefined);
  }
}
