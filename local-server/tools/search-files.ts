/**
 * search_files: recursive name search under a directory.
 *
 * Matching (case-insensitive, on the entry's *name*): a pattern with `*` or `?` is a wildcard that
 * must match the whole name (`*.py`); a pattern without wildcards matches as a substring, as the
 * MCP filesystem server does (`config` finds `app.config.json`). Exclude patterns are wildcards
 * matched against the name or the path relative to the search root (`**` crosses `/`); an
 * excluded directory is not descended into. Symlinks are listed but never followed.
 *
 * Hostile input: patterns are matched without regular expressions and are bounded (glob.ts);
 * the walk gives the event loop back every few milliseconds, so a long search never holds up
 * other requests on the server's single thread, and it stops when the call is aborted.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fsError, ToolError } from '../sandbox/errors';
import type { ToolContext } from './context';
import { compileGlob, globMatches, type Glob } from './glob';

export interface SearchFilesArgs {
  path: string;
  pattern: string;
  excludePatterns?: string[] | string;
}

/** Upper bounds so one call cannot walk or return without limit. */
const MAX_MATCHES = 10_000;
const MAX_VISITED = 200_000;
const MAX_EXCLUDES = 64;
/** All exclude patterns together: each entry is tested against every one of them. */
const MAX_EXCLUDE_CHARS = 4096;
/** Longest stretch of synchronous work before the walk yields to other requests. */
const SLICE_MS = 10;

function nameMatcher(pattern: string): (name: string) => boolean {
  const glob = compileGlob(pattern, 'pattern');
  if (glob.hasWildcard) return (name) => globMatches(glob, name);
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}

function excludeList(value: string[] | string | undefined): Glob[] {
  const list = (typeof value === 'string' ? value.split(',') : value ?? []).map((p) => p.trim()).filter((p) => p !== '');
  if (list.length > MAX_EXCLUDES) {
    throw new ToolError(`Invalid argument 'excludePatterns': at most ${MAX_EXCLUDES} patterns are accepted, got ${list.length}`);
  }
  const chars = list.reduce((sum, p) => sum + p.length, 0);
  if (chars > MAX_EXCLUDE_CHARS) {
    throw new ToolError(`Invalid argument 'excludePatterns': the patterns total ${chars} characters, more than the ${MAX_EXCLUDE_CHARS} accepted`);
  }
  return list.map((p) => compileGlob(p, 'excludePatterns'));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export async function searchFilesTool(args: SearchFilesArgs, ctx: ToolContext, signal?: AbortSignal): Promise<string> {
  const matches = nameMatcher(args.pattern);
  const excludes = excludeList(args.excludePatterns);
  const root = await ctx.paths.resolve(args.path);
  const found: string[] = [];
  let visited = 0;
  let sliceStart = performance.now();
  // Breadth-first over host paths; results are reported as virtual paths under the given root.
  const queue: { host: string; virtual: string; rel: string }[] = [{ host: root.host, virtual: root.virtual, rel: '' }];
  for (let next = 0; next < queue.length && found.length < MAX_MATCHES && visited < MAX_VISITED; next++) {
    const dir = queue[next]!;
    let entries;
    try {
      entries = await readdir(dir.host, { withFileTypes: true });
    } catch (err) {
      if (next === 0) throw fsError(err, root.virtual);
      continue; // unreadable or vanished subdirectory: skip it
    }
    if (signal?.aborted) throw new ToolError('search_files was cancelled');
    sliceStart = performance.now(); // awaiting readdir gave other requests their turn
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        if (signal?.aborted) throw new ToolError('search_files was cancelled');
        sliceStart = performance.now();
      }
      if (++visited > MAX_VISITED) break;
      const rel = dir.rel ? `${dir.rel}/${e.name}` : e.name;
      if (excludes.some((glob) => globMatches(glob, e.name) || globMatches(glob, rel))) continue;
      const virtual = path.posix.join(dir.virtual, e.name);
      if (matches(e.name)) {
        found.push(virtual);
        if (found.length >= MAX_MATCHES) break;
      }
      if (e.isDirectory()) queue.push({ host: path.join(dir.host, e.name), virtual, rel });
    }
  }
  // A lone newline rather than "": the TS SDK replaces an empty text with the whole JSON answer,
  // which it would then report as one bogus match; whitespace-only parses as zero matches.
  return found.length > 0 ? found.join('\n') : '\n';
}
