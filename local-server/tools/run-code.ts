/**
 * run_code: executes a snippet in python / javascript / java / r and answers in the
 * code-interpreter shape the SDKs parse:
 * `{"result":[<JSON string per item>],"stdout":[..],"stderr":[..],"executionError":"",
 *   "execution_count":n,"execution_time":seconds}`.
 * A failing snippet is a successful *call* (isError false) with `executionError` filled, since the
 * SDKs derive success from `!executionError`. Each call runs in a fresh process (no state is kept
 * between calls).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { McpToolResult } from '../sandbox/contract';
import type { RunOutcome } from '../sandbox/process-runner';
import type { ToolContext } from './context';
import { fail, ok } from './result';
import { JAVA_FLAGS, javaSource } from './runners/java';
import { JAVASCRIPT_RUNNER } from './runners/javascript';
import { PYTHON_RUNNER } from './runners/python';
import { outcomeStreams } from './shell';

export interface RunCodeArgs {
  code: string;
  language?: string;
  timeout_s?: number;
}

type Language = 'python' | 'javascript' | 'r' | 'java';

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

interface RunnerPayload { results: Record<string, unknown>[]; error: string }

function parsePayload(side: string): RunnerPayload | null {
  if (!side) return null;
  try {
    const v: unknown = JSON.parse(side);
    if (typeof v !== 'object' || v === null) return null;
    const o = v as { results?: unknown; error?: unknown };
    const results = Array.isArray(o.results) ? o.results.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null) : [];
    return { results, error: typeof o.error === 'string' ? o.error : '' };
  } catch {
    return null;
  }
}

/** A temporary directory in the session's /tmp for source files (java, R), removed afterwards. */
async function withSourceFile<T>(ctx: ToolContext, fileName: string, source: string, fn: (commandPath: string) => Promise<T>): Promise<T> {
  const dir = path.join(ctx.paths.tmpHost, `.agentbay-run-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    const file = path.join(dir, fileName);
    await writeFile(file, source);
    return await fn(ctx.commandPath(file));
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function execute(lang: Language, code: string, ctx: ToolContext, timeoutMs: number, signal?: AbortSignal): Promise<RunOutcome | string> {
  switch (lang) {
    case 'python':
      if (!ctx.isolation.hasExecutable('python3')) return 'Python runtime is not installed on this local server';
      return ctx.run({
        argv: ['python3', '-u', '-c', PYTHON_RUNNER],
        stdin: code,
        sideChannel: true,
        env: { MPLBACKEND: 'Agg', PYTHONIOENCODING: 'utf-8' },
        timeoutMs,
      }, signal);
    case 'javascript':
      return ctx.run({ argv: [ctx.isolation.nodeBinary(), '-e', JAVASCRIPT_RUNNER], stdin: code, sideChannel: true, timeoutMs }, signal);
    case 'java':
      if (!ctx.isolation.hasExecutable('java')) return 'Java runtime is not installed on this local server';
      return withSourceFile(ctx, 'Main.java', javaSource(code), (file) =>
        ctx.run({ argv: ['java', ...JAVA_FLAGS, `-Djava.io.tmpdir=${ctx.commandPath(ctx.paths.tmpHost)}`, file], timeoutMs }, signal));
    case 'r':
      if (!ctx.isolation.hasExecutable('Rscript')) return 'R runtime is not installed on this local server';
      return withSourceFile(ctx, 'main.R', code, (file) => ctx.run({ argv: ['Rscript', '--vanilla', file], timeoutMs }, signal));
  }
}

function executionError(outcome: RunOutcome, payload: RunnerPayload | null, timeoutS: number, stderr: string): string {
  if (outcome.timedOut) return `TimeoutError: execution timed out after ${timeoutS} s; the process and everything it started were killed`;
  if (outcome.aborted) return 'CancelledError: execution was cancelled';
  if (outcome.limitExceeded !== undefined) return `ResourceLimitError: ${outcome.limitExceeded}${stderr.trim() ? `\n${stderr.trim()}` : ''}`;
  if (payload) return payload.error;
  if (outcome.exitCode === 0) return '';
  // No structured result (java, R, or a runner that crashed): the exit status and stderr tell.
  const detail = stderr.trim();
  return `ExitError: process exited with code ${outcome.exitCode ?? 'unknown'}${detail ? `\n${detail}` : ''}`;
}

export async function runCodeTool(args: RunCodeArgs, ctx: ToolContext, signal?: AbortSignal): Promise<McpToolResult> {
  const lang = normalizeLanguage(args.language);
  if (lang === null) {
    return fail(`Unsupported language: ${args.language ?? ''}. Supported languages are 'python', 'javascript', 'r', and 'java'`);
  }
  const timeoutS = Math.min(args.timeout_s && args.timeout_s > 0 ? args.timeout_s : DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S);
  const executionCount = ctx.nextExecutionCount();
  const outcome = await execute(lang, args.code, ctx, Math.ceil(timeoutS * 1000), signal);
  if (typeof outcome === 'string') return fail(outcome);
  if (outcome.spawnError !== undefined) return fail(`Failed to start the ${lang} runtime: ${outcome.spawnError}`);
  const { stdout, stderr } = outcomeStreams(outcome);
  const payload = parsePayload(outcome.side);
  return ok(JSON.stringify({
    result: (payload?.results ?? []).map((r) => JSON.stringify(r)),
    stdout: stdout ? [stdout] : [],
    stderr: stderr ? [stderr] : [],
    executionError: executionError(outcome, payload, timeoutS, stderr),
    execution_count: executionCount,
    execution_time: Math.round(outcome.durationMs) / 1000,
  }));
}
