/**
 * search_files: recursive name search under a directory.
 *
 * Matching (case-insensitive, on the entry's *name*): a pattern with `*` or `?` is a wildcard that
 * must match the whole name (`*.py`); a pattern without wildcards matches as a substring, as the
 * MCP filesystem server does (`config` finds `app.config.json`). Exclude patterns are wildcards
 * matched against the name or the path relative to the search root (`**` crosses `/`); an
 * excluded directory is not descended into. Symlinks are listed but never followed.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { fsError } from '../sandbox/errors';
import type { ToolContext } from './context';

export interface SearchFilesArgs {
  path: string;
  pattern: string;
  excludePatterns?: string[] | string;
}

/** Upper bounds so one call cannot walk or return without limit. */
const MAX_MATCHES = 10_000;
const MAX_VISITED = 200_000;

export function wildcardToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

function nameMatcher(pattern: string): (name: string) => boolean {
  if (/[*?]/.test(pattern)) {
    const re = wildcardToRegExp(pattern);
    return (name) => re.test(name);
  }
  const needle = pattern.toLowerCase();
  return (name) => name.toLowerCase().includes(needle);
}

function excludeList(value: string[] | string | undefined): RegExp[] {
  const list = typeof value === 'string' ? value.split(',') : value ?? [];
  return list.map((p) => p.trim()).filter((p) => p !== '').map(wildcardToRegExp);
}

export async function searchFilesTool(args: SearchFilesArgs, ctx: ToolContext): Promise<string> {
  const root = await ctx.paths.resolve(args.path);
  const matches = nameMatcher(args.pattern);
  const excludes = excludeList(args.excludePatterns);
  const found: string[] = [];
  let visited = 0;
  // Breadth-first over host paths; results are reported as virtual paths under the given root.
  const queue: { host: string; virtual: string; rel: string }[] = [{ host: root.host, virtual: root.virtual, rel: '' }];
  let first = true;
  while (queue.length > 0 && found.length < MAX_MATCHES && visited < MAX_VISITED) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await readdir(dir.host, { withFileTypes: true });
    } catch (err) {
      if (first) throw fsError(err, root.virtual);
      continue; // unreadable or vanished subdirectory: skip it
    }
    first = false;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      visited++;
      const rel = dir.rel ? `${dir.rel}/${e.name}` : e.name;
      if (excludes.some((re) => re.test(e.name) || re.test(rel))) continue;
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
