/**
 * edit_file: exact-text replacements applied in order, with a unified diff as the answer.
 */
import { ToolError } from '../sandbox/errors';
import type { ToolContext } from './context';
import { readWhole, writeData } from './safe-io';

export interface EditFileArgs {
  path: string;
  edits: { oldText: string; newText: string }[];
  dryRun?: boolean;
}

const CONTEXT_LINES = 3;

function preview(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line) + (text.includes('\n') ? ' (multi-line)' : '');
}

/**
 * One-hunk unified diff: everything between the common leading and trailing lines is shown as
 * replaced. Not minimal for far-apart edits, but valid and cheap for any file size.
 */
export function unifiedDiff(before: string, after: string, name: string): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ctxStart = Math.max(0, head - CONTEXT_LINES);
  const aEnd = a.length - tail;
  const bEnd = b.length - tail;
  const ctxEndA = Math.min(a.length, aEnd + CONTEXT_LINES);
  const ctxEndB = Math.min(b.length, bEnd + CONTEXT_LINES);
  const lines = [`--- ${name}\toriginal`, `+++ ${name}\tmodified`];
  const aCount = ctxEndA - ctxStart;
  const bCount = ctxEndB - ctxStart;
  lines.push(`@@ -${aCount === 0 ? ctxStart : ctxStart + 1},${aCount} +${bCount === 0 ? ctxStart : ctxStart + 1},${bCount} @@`);
  for (let i = ctxStart; i < head; i++) lines.push(` ${a[i]}`);
  for (let i = head; i < aEnd; i++) lines.push(`-${a[i]}`);
  for (let i = head; i < bEnd; i++) lines.push(`+${b[i]}`);
  for (let i = aEnd; i < ctxEndA; i++) lines.push(` ${a[i]}`);
  return lines.join('\n') + '\n';
}

export async function editFileTool(args: EditFileArgs, ctx: ToolContext): Promise<string> {
  const target = await ctx.paths.resolve(args.path);
  const original = (await readWhole(ctx.paths, target, args.path)).toString('utf8');
  let content = original;
  args.edits.forEach((edit, i) => {
    const label = `edit ${i + 1} of ${args.edits.length}`;
    if (edit.oldText === '') throw new ToolError(`Invalid argument 'edits[${i}].oldText': must not be empty`);
    const at = content.indexOf(edit.oldText);
    if (at < 0) throw new ToolError(`Text to replace not found in ${target.virtual} (${label}): ${preview(edit.oldText)}`);
    content = content.slice(0, at) + edit.newText + content.slice(at + edit.oldText.length);
  });
  const diff = unifiedDiff(original, content, target.virtual);
  if (!args.dryRun && content !== original) await writeData(ctx.paths, ctx.disk, target, args.path, content, 'overwrite');
  return diff === '' ? `No changes: ${target.virtual}` : diff;
}
