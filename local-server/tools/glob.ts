/**
 * Wildcard matching for search_files, without regular expressions: a regex built from a glob
 * backtracks, and a hostile pattern such as `a*a*a*...x` then takes exponential time (this is
 * also true of glob libraries that compile to RegExp). Here each step is a plain comparison, and
 * one match costs at most about |text| x |pattern| character comparisons.
 *
 * Syntax: `*` is any run of characters within a path segment, `?` one character other than `/`,
 * and a whole `**` segment any number of segments, none included (`**` inside a segment counts as
 * `*`). Every other character is literal. Matching ignores case.
 */
import { ToolError } from '../sandbox/errors';

export const GLOB_LIMITS = { maxLength: 1024, maxSegments: 32, maxGlobstars: 32 } as const;

const GLOBSTAR = '**';

export interface Glob {
  /** Lower-cased pattern segments; `**` marks a globstar segment. */
  readonly segments: readonly string[];
  readonly hasWildcard: boolean;
}

/** Refuses, with a message naming the argument, patterns beyond GLOB_LIMITS. */
export function compileGlob(pattern: string, argument: string): Glob {
  const shown = pattern.length > 60 ? `${JSON.stringify(pattern.slice(0, 60))}...` : JSON.stringify(pattern);
  const refuse = (why: string): never => {
    throw new ToolError(`Invalid argument '${argument}': the pattern ${shown} ${why}`);
  };
  if (pattern.length > GLOB_LIMITS.maxLength) refuse(`is longer than ${GLOB_LIMITS.maxLength} characters`);
  const segments = pattern.toLowerCase().split('/');
  if (segments.length > GLOB_LIMITS.maxSegments) refuse(`has more than ${GLOB_LIMITS.maxSegments} '/'-separated segments`);
  const globstars = pattern.split(GLOBSTAR).length - 1;
  if (globstars > GLOB_LIMITS.maxGlobstars) refuse(`has more than ${GLOB_LIMITS.maxGlobstars} '**'`);
  return { segments, hasWildcard: /[*?]/.test(pattern) };
}

/** `chunk` (no `*`; `?` matches any character) lies in `text` at `at`. */
function fitsAt(chunk: string, text: string, at: number): boolean {
  if (at < 0 || at + chunk.length > text.length) return false;
  for (let k = 0; k < chunk.length; k++) {
    const c = chunk.charCodeAt(k);
    if (c !== 63 /* ? */ && c !== text.charCodeAt(at + k)) return false;
  }
  return true;
}

/**
 * One pattern segment against one text segment. Between the anchored first and last chunks,
 * taking each middle chunk at its earliest position is always right, so there is no backtracking.
 */
function matchSegment(pattern: string, text: string): boolean {
  const chunks = pattern.split('*');
  if (chunks.length === 1) return pattern.length === text.length && fitsAt(pattern, text, 0);
  const first = chunks[0]!;
  const last = chunks[chunks.length - 1]!;
  const end = text.length - last.length;
  if (first.length > end || !fitsAt(first, text, 0) || !fitsAt(last, text, end)) return false;
  let pos = first.length;
  for (let i = 1; i < chunks.length - 1; i++) {
    const chunk = chunks[i]!;
    let at = pos;
    while (at + chunk.length <= end && !fitsAt(chunk, text, at)) at++;
    if (at + chunk.length > end) return false;
    pos = at + chunk.length;
  }
  return true;
}

/**
 * Pattern segments against text segments, `**` matching any run of segments. The classic
 * wildcard walk: on a mismatch, only the latest `**` takes one more segment, which suffices.
 */
function matchSegments(pattern: readonly string[], text: readonly string[]): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] === GLOBSTAR) {
      starP = p++;
      starT = t;
    } else if (p < pattern.length && matchSegment(pattern[p]!, text[t]!)) {
      p++;
      t++;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === GLOBSTAR) p++;
  return p === pattern.length;
}

/** `text` is a name or a `/`-separated relative path; it is lower-cased here. */
export function globMatches(glob: Glob, text: string): boolean {
  return matchSegments(glob.segments, text.toLowerCase().split('/'));
}
