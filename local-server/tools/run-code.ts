/**
 * run_code: executes a snippet in python / javascript / java / r and answers in the
 * code-interpreter shape the SDKs parse:
 * `{"result":[<JSON string per item>],"stdout":[..],"stderr":[..],"executionError":"",
 *   "execution_count":n,"execution_time":seconds}`.
 * A failing snippet is a successful *call* (isError false) with `executionError` filled, since the
 * SDKs derive success from `!executionError`. Each language runs in one long-lived kernel per
 * session (tools/kernels/), so variables, imports and definitions persist between calls, as in
 * the cloud's notebook-style code image; `execution_count` counts that kernel's cells.
 */
import type { McpToolResult } from '../sandbox/contract';
import type { ToolContext } from './context';
import { kernelFor } from './kernels/registry';
import type { Language } from './kernels/languages';
import { fail, ok } from './result';

export interface RunCodeArgs {
  code: string;
  language?: string;
  timeout_s?: number;
}

const ALIASES: Record<string, Language> = {
  python: 'python', py: 'python', python3: 'python',
  javascript: 'javascript', js: 'javascript', node: 'javascript', nodejs: 'javascript',
  r: 'r', java: 'java',
};
const DEFAULT_TIMEOUT_S = 60;
/** Beyond the SDK's 60 s HTTP timeout nobody is listening any more; 5 minutes is generous. */
export const MAX_TIMEOUT_S = 300;

export function normalizeLanguage(language: string | undefined): Language | null {
  return ALIASES[(language ?? 'python').trim().toLowerCase()] ?? null;
}

export async function runCodeTool(args: RunCodeArgs, ctx: ToolContext, signal?: AbortSignal): Promise<McpToolResult> {
  const lang = normalizeLanguage(args.language);
  if (lang === null) {
    return fail(`Unsupported language: ${args.language ?? ''}. Supported languages are 'python', 'javascript', 'r', and 'java'`);
  }
  const timeoutS = Math.min(args.timeout_s && args.timeout_s > 0 ? args.timeout_s : DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S);
  const kernel = await kernelFor(lang, ctx);
  if (typeof kernel === 'string') return fail(kernel);
  const cell = await kernel.execute(args.code, Math.ceil(timeoutS * 1000), signal);
  return ok(JSON.stringify({
    result: cell.results.map((r) => JSON.stringify(r)),
    stdout: cell.stdout ? [cell.stdout] : [],
    stderr: cell.stderr ? [cell.stderr] : [],
    executionError: cell.error,
    execution_count: cell.executionCount,
    execution_time: Math.round(cell.durationMs) / 1000,
  }));
}
