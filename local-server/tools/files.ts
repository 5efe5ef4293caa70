/**
 * The filesystem tools of docs/protocol.md §5.3 (read/write/list/create/move/delete/info/read_multiple). Text
 * formats follow what the SDKs parse; every path goes through SessionPaths.
 */
import type { Stats } from 'node:fs';
import { lstat, mkdir, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { errnoCode, fsError, ToolError } from '../sandbox/errors';
import type { ToolContext } from './context';
import { readRange, readWhole, writeData, type WriteMode } from './safe-io';

export interface ReadFileArgs { path: string; offset?: number; length?: number; format?: 'text' | 'binary' }
export interface WriteFileArgs { path: string; content: string; mode?: WriteMode; format?: 'text' | 'binary' }
export interface PathArgs { path: string }
export interface MoveFileArgs { source: string; destination: string }
export interface ReadMultipleArgs { paths: string[] }

/** Widens a byte range so it never cuts a UTF-8 sequence: consecutive text chunks then join exactly. */
function utf8Aligned(buf: Buffer, skipLeading: boolean): Buffer {
  let start = 0;
  // A chunk that starts inside a character leaves those continuation bytes to the previous chunk.
  if (skipLeading) while (start < buf.length && start < 3 && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.subarray(start);
}

/** Number of extra bytes needed after `buf` to finish its last UTF-8 character. */
function missingTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(4, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return Math.max(0, need - back);
  }
  return 0;
}

export async function readFileTool(args: ReadFileArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path);
  const offset = args.offset ?? 0;
  const length = args.length ?? 0;
  if (args.format === 'binary') return (await readRange(ctx.paths, target, args.path, offset, length)).toString('base64');
  let buf = await readRange(ctx.paths, target, args.path, offset, length);
  if (length > 0 && buf.length === length) {
    const extra = missingTail(buf);
    if (extra > 0) buf = Buffer.concat([buf, await readRange(ctx.paths, target, args.path, offset + length, extra)]);
  }
  return utf8Aligned(buf, offset > 0).toString('utf8');
}

/** The base64 alphabet with at most two `=` at the end; faster than one anchored regex on megabytes. */
function isBase64(compact: string): boolean {
  if (/[^A-Za-z0-9+/=]/.test(compact)) return false;
  const padding = compact.indexOf('=');
  return padding === -1 || (compact.length - padding <= 2 && (compact.length - padding === 1 || compact[padding + 1] === '='));
}

export async function writeFileTool(args: WriteFileArgs, ctx: ToolContext): Promise<string> {
  let data: Buffer | string = args.content;
  if (args.format === 'binary') {
    // Whitespace is rare (wrapped base64): check the content as it is first, strip only if that fails.
    let compact = args.content;
    let valid = isBase64(compact);
    if (!valid) {
      compact = compact.replace(/\s+/g, '');
      valid = isBase64(compact);
    }
    if (!valid || compact.length % 4 !== 0) {
      throw new ToolError("Invalid argument 'content': format is binary but content is not valid base64");
    }
    data = Buffer.from(compact, 'base64');
  }
  const target = await ctx.paths.resolve(args.path);
  await writeData(ctx.paths, ctx.disk, target, args.path, data, args.mode ?? 'overwrite');
  return `Successfully wrote to ${target.virtual}`;
}

async function isDirectoryEntry(ctx: ToolContext, dirVirtual: string, name: string, isDir: boolean, isLink: boolean): Promise<boolean> {
  if (!isLink) return isDir;
  try {
    // Follow links only within the session; a link leading outside is shown as a plain entry.
    const t = await ctx.paths.resolve(path.posix.join(dirVirtual, name));
    return (await stat(t.host)).isDirectory();
  } catch {
    return false;
  }
}

export async function listDirectoryTool(args: PathArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path);
  let entries;
  try {
    entries = await readdir(target.host, { withFileTypes: true });
  } catch (err) {
    throw fsError(err, target.virtual);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: string[] = [];
  for (const e of entries) {
    const dir = await isDirectoryEntry(ctx, target.virtual, e.name, e.isDirectory(), e.isSymbolicLink());
    lines.push(`${dir ? '[DIR]' : '[FILE]'} ${e.name}`);
  }
  return lines.join('\n');
}

export async function createDirectoryTool(args: PathArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path);
  try {
    await mkdir(target.host, { recursive: true });
  } catch (err) {
    throw fsError(err, target.virtual);
  }
  return `Successfully created directory ${target.virtual}`;
}

export async function moveFileTool(args: MoveFileArgs, ctx: ToolContext): Promise<string> {
  // Neither end follows a final symlink: moving a link moves the link itself.
  const src = await ctx.paths.resolve(args.source, { followFinal: false });
  const dst = await ctx.paths.resolve(args.destination, { followFinal: false });
  if (ctx.paths.isMountRoot(src.host)) throw new ToolError(`Cannot move a session root directory: ${src.virtual}`);
  try {
    await lstat(src.host);
  } catch (err) {
    throw fsError(err, src.virtual);
  }
  // Like the MCP filesystem server: never silently replace an existing destination.
  const exists = await lstat(dst.host).then(() => true, (err: unknown) => (errnoCode(err) === 'ENOENT' ? false : Promise.reject(fsError(err, dst.virtual))));
  if (exists) throw new ToolError(`Destination already exists: ${dst.virtual}`);
  try {
    await rename(src.host, dst.host);
  } catch (err) {
    if (errnoCode(err) === 'EINVAL') throw new ToolError(`Cannot move a directory into itself: ${src.virtual} -> ${dst.virtual}`);
    throw fsError(err, errnoCode(err) === 'ENOENT' ? path.posix.dirname(dst.virtual) : dst.virtual);
  }
  return `Successfully moved ${src.virtual} to ${dst.virtual}`;
}

/**
 * Deletes a file or symlink, or a directory only when it is empty: the SDK offers no "recursive"
 * flag, and silently wiping a tree from a single call is the riskier reading.
 */
export async function deleteFileTool(args: PathArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path, { followFinal: false });
  if (ctx.paths.isMountRoot(target.host)) throw new ToolError(`Cannot delete a session root directory: ${target.virtual}`);
  let st: Stats;
  try {
    st = await lstat(target.host);
  } catch (err) {
    throw fsError(err, target.virtual);
  }
  try {
    if (st.isDirectory()) await rmdir(target.host);
    else await unlink(target.host);
  } catch (err) {
    if (errnoCode(err) === 'ENOTEMPTY' || errnoCode(err) === 'EEXIST') {
      throw new ToolError(`Directory not empty: ${target.virtual} (delete_file removes files and empty directories only)`);
    }
    throw fsError(err, target.virtual);
  }
  return `Successfully deleted ${target.virtual}`;
}

/** `ls -l` style permission string, e.g. `-rw-r--r--` or `drwxr-xr-x`. */
export function modeString(st: Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFIFO() ? 'p' : st.isSocket() ? 's' : st.isCharacterDevice() ? 'c' : st.isBlockDevice() ? 'b' : '-';
  const m = st.mode;
  const bit = (mask: number, ch: string): string => (m & mask ? ch : '-');
  const exec = (x: number, special: number, on: string, off: string): string => (m & special ? (m & x ? on : off) : m & x ? 'x' : '-');
  return (
    type +
    bit(0o400, 'r') + bit(0o200, 'w') + exec(0o100, 0o4000, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + exec(0o010, 0o2000, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + exec(0o001, 0o1000, 't', 'T')
  );
}

export async function getFileInfoTool(args: PathArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path);
  let st: Stats;
  try {
    st = await stat(target.host);
  } catch (err) {
    throw fsError(err, target.virtual);
  }
  return [
    `name: ${path.posix.basename(target.virtual)}`,
    `path: ${target.virtual}`,
    `size: ${st.size}`,
    `isDirectory: ${st.isDirectory()}`,
    // ISO keeps the exact time; the TS SDK cuts values at the second colon (its own bug).
    `modTime: ${st.mtime.toISOString()}`,
    `mode: ${modeString(st)}`,
  ].join('\n');
}

/** Blocks as the SDKs parse them: `<path>: \n<content>\n`, separated by `\n---\n`. */
export async function readMultipleFilesTool(args: ReadMultipleArgs, ctx: ToolContext): Promise<string> {
  const blocks: string[] = [];
  for (const p of args.paths) {
    try {
      const target = await ctx.paths.resolve(p);
      const content = (await readWhole(ctx.paths, target, p)).toString('utf8');
      blocks.push(`${p}: \n${content}\n`);
    } catch (err) {
      const reason = err instanceof ToolError ? err.message : fsError(err, p).message;
      blocks.push(`${p}: Error - ${reason}`);
    }
  }
  return blocks.join('\n---\n');
}
