/**
 * shell: runs a command line with bash (sh when bash is missing) in the session.
 * Success text: JSON {stdout, stderr, exit_code}; a non-zero exit is still a successful *call*
 * (the SDK derives success from exit_code). A timeout is a failed call: isError with
 * {stdout, stderr, errorCode: 124, traceId} — the shape the cloud uses for failures.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fsError, ToolError } from '../sandbox/errors';
import type { McpToolResult } from '../sandbox/contract';
import { HOME } from '../sandbox/paths';
import type { RunOutcome } from '../sandbox/process-runner';
import type { ToolContext } from './context';
import { fail, ok } from './result';

export interface ShellArgs {
  command: string;
  timeout_ms?: number;
  cwd?: string;
  envs?: Record<string, string>;
}

export const SHELL_MAX_TIMEOUT_MS = 50_000;
const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Resolves a virtual working directory; it must exist and be a directory. */
export async function resolveCwd(ctx: ToolContext, cwd: string | undefined): Promise<{ virtual: string; host: string }> {
  const target = await ctx.paths.resolve(cwd ?? HOME);
  try {
    if (!(await stat(target.host)).isDirectory()) throw new ToolError(`Not a directory: ${target.virtual}`);
  } catch (err) {
    throw fsError(err, target.virtual);
  }
  // After symlink resolution the directory may have another name; bwrap needs the real one.
  return { virtual: ctx.paths.toVirtual(target.host) ?? target.virtual, host: target.host };
}

export function checkEnvNames(envs: Record<string, string> | undefined): void {
  for (const name of Object.keys(envs ?? {})) {
    if (!ENV_NAME.test(name)) throw new ToolError(`Invalid argument 'envs': ${JSON.stringify(name)} is not a valid environment variable name`);
  }
}

/** Appends a note to captured output that hit the size cap. */
export function withTruncationNote(text: string, truncated: boolean): string {
  return truncated ? `${text}\n[output truncated: limit of 10 MB reached]` : text;
}

export function outcomeStreams(outcome: RunOutcome): { stdout: string; stderr: string } {
  return {
    stdout: withTruncationNote(outcome.stdout, outcome.stdoutTruncated),
    stderr: withTruncationNote(outcome.stderr, outcome.stderrTruncated),
  };
}

export async function shellTool(args: ShellArgs, ctx: ToolContext, signal?: AbortSignal): Promise<McpToolResult> {
  // Absent or 0 means "the longest allowed"; anything above the cap is clamped like the SDKs do.
  const timeoutMs = Math.min(args.timeout_ms && args.timeout_ms > 0 ? Math.ceil(args.timeout_ms) : SHELL_MAX_TIMEOUT_MS, SHELL_MAX_TIMEOUT_MS);
  checkEnvNames(args.envs);
  const cwd = await resolveCwd(ctx, args.cwd);
  const outcome = await ctx.run({ argv: [SHELL, '-c', args.command], cwd, env: args.envs, timeoutMs }, signal);
  if (outcome.spawnError !== undefined) return fail(`Failed to start command: ${outcome.spawnError}`);
  const { stdout, stderr } = outcomeStreams(outcome);
  if (outcome.timedOut || outcome.aborted) {
    const stopped = outcome.timedOut
      ? `Command timed out after ${timeoutMs} ms; the process and everything it started were killed`
      : 'Command was cancelled; the process and everything it started were killed';
    const why = outcome.limitExceeded === undefined ? stopped : `${outcome.limitExceeded}. ${stopped}`;
    return fail(JSON.stringify({ stdout, stderr: stderr ? `${stderr}\n${why}` : why, errorCode: outcome.timedOut ? 124 : 130, traceId: '' }));
  }
  if (outcome.limitExceeded !== undefined) {
    // The shape of a failed command (docs/protocol.md §5.3), so clients see the exit status and the limit's name.
    const why = outcome.limitExceeded;
    const code = outcome.exitCode === null || outcome.exitCode === 0 ? 1 : outcome.exitCode;
    return fail(JSON.stringify({ stdout, stderr: stderr ? `${stderr}\n${why}` : why, errorCode: code, traceId: '' }));
  }
  return ok(JSON.stringify({ stdout, stderr, exit_code: outcome.exitCode ?? -1 }));
}
