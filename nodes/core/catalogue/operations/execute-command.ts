import { defineParameter, describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { callMcpTool } from '../mcp';
import { fieldLabel } from '../validation';

/** Both SDKs cap `timeout_ms` at 50 s; the service kills the command then. */
export const MAX_COMMAND_TIMEOUT_MS = 50_000;
/** Extra HTTP time over the command's own timeout, so the answer arrives before the request gives up. */
const HTTP_MARGIN_MS = 10_000;
const STDERR_IN_ERROR_LIMIT = 2000;

interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  traceId: string;
}

/**
 * The shell tool's JSON envelope, recognised conservatively as the SDK does: an integer
 * exit_code (or errorCode, the failure form) with stdout or stderr, or both stdout and stderr.
 * Anything else is the command's raw output (some images answer that way).
 */
function parseShellPayload(text: string): ShellResult | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const code = Number.isInteger(record.exit_code) ? (record.exit_code as number) : undefined;
  const errorCode = Number.isInteger(record.errorCode) ? (record.errorCode as number) : undefined;
  const hasStdout = typeof record.stdout === 'string';
  const hasStderr = typeof record.stderr === 'string';
  const wrapped = ((code !== undefined || errorCode !== undefined) && (hasStdout || hasStderr)) || (hasStdout && hasStderr);
  if (!wrapped) return undefined;
  return {
    stdout: hasStdout ? (record.stdout as string) : '',
    stderr: hasStderr ? (record.stderr as string) : '',
    // `exit_code || errorCode` (docs/protocol.md §5.3): the failure form carries errorCode, e.g. 124 for a timeout.
    exitCode: code || errorCode || 0,
    traceId: typeof record.traceId === 'string' ? record.traceId : '',
  };
}

const environmentParameter = defineParameter({
  name: 'environment',
  displayName: 'Environment',
  description: 'Extra environment variables for this command only, as a JSON object of names to string values.',
  kind: 'stringMap',
  default: {},
  advanced: true,
  schema: { type: 'object' },
  expected: 'a JSON object of variable names to string values, e.g. {"MODE":"test"}',
});

/** The SDK's own check and text, raised before any request (numbers are not quietly turned into strings). */
function checkEnvironment(environment: Record<string, unknown>): Record<string, string> | undefined {
  const invalid: string[] = [];
  for (const [key, value] of Object.entries(environment)) {
    if (typeof value !== 'string') invalid.push(`value for key '${key}' (type: ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`);
  }
  if (invalid.length > 0) {
    throw new InputValidationError(
      environmentParameter.name,
      environmentParameter.expected,
      `${fieldLabel(environmentParameter)}: Invalid environment variables: all keys and values must be strings. Found invalid entries: ${invalid.join(', ')}`,
    );
  }
  return Object.keys(environment).length > 0 ? (environment as Record<string, string>) : undefined;
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > STDERR_IN_ERROR_LIMIT ? `${trimmed.slice(0, STDERR_IN_ERROR_LIMIT)}…` : trimmed;
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const command = input.command;
  const timeoutMs = input.timeoutMs;
  const cwd = typeof input.workingDirectory === 'string' && input.workingDirectory.trim() !== '' ? input.workingDirectory : undefined;
  const envs = checkEnvironment(input.environment);

  const args: Record<string, unknown> = { command, timeout_ms: timeoutMs };
  if (cwd !== undefined) args.cwd = cwd;
  if (envs !== undefined) args.envs = envs;
  const answer = await callMcpTool(context.client, context.session.sessionId, 'shell', args, {
    signal: context.signal,
    timeoutMs: timeoutMs + HTTP_MARGIN_MS,
  });

  let result: ShellResult;
  if (!answer.isError) {
    result = parseShellPayload(answer.text) ?? { stdout: answer.text, stderr: '', exitCode: 0, traceId: '' };
  } else {
    // A failed call in the command-result form (timeout, killed) is a result; anything else is a tool failure.
    const parsed = parseShellPayload(answer.text);
    if (!parsed) {
      throw new AgentBayError(answer.errorMessage || 'Failed to execute command', { code: 'ToolError', requestId: answer.requestId });
    }
    result = { ...parsed, exitCode: parsed.exitCode !== 0 ? parsed.exitCode : 1 };
  }

  if (result.exitCode !== 0 && input.failOnNonZeroExit === true) {
    const stderr = excerpt(result.stderr);
    throw new AgentBayError(`Command exited with code ${result.exitCode}${stderr ? `: ${stderr}` : ' (no output on stderr)'}`, {
      code: 'CommandFailed',
      requestId: answer.requestId,
    });
  }
  const json = {
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.exitCode,
    output: result.stdout + result.stderr,
    success: result.exitCode === 0,
    requestId: answer.requestId,
    ...(result.traceId ? { traceId: result.traceId } : {}),
  };
  return { json };
}

const shape = describeOperation({
  id: 'executeCommand',
  displayName: 'Execute Command',
  summary: 'Runs a shell command in the session and returns its stdout, stderr and exit code.',
  details: [
    'Runs the command with the session’s shell (`shell` tool), in /home/wuying unless a working directory is given.',
    'A non-zero exit code is a result, not an error: check `exitCode` or `success`. Turn on **Fail On Non-Zero Exit** to make it an error instead (the message names the exit code and stderr), for example to send it to a Catch node.',
    `The timeout is at most ${MAX_COMMAND_TIMEOUT_MS} ms (50 s), the limit of the service; the official SDK caps it the same way. When it runs out the command and what it started are killed, and the result has a non-zero exit code (124 on the local server) with stderr saying it timed out. Longer jobs: start them in the background (\`nohup job > log 2>&1 &\`) and poll the log, or use Run Code, which allows longer timeouts.`,
    'Environment values must be strings: `{"A": 1}` is refused before any request, as the SDK does, rather than quietly sent as "1".',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'command',
      displayName: 'Command',
      description: 'The shell command line to run, e.g. ls -la /home/wuying.',
      kind: 'code',
      default: '',
      required: true,
      placeholder: 'ls -la',
      schema: { type: 'string', minLength: 1 },
      expected: 'a shell command line such as ls -la',
    },
    {
      name: 'failOnNonZeroExit',
      displayName: 'Fail On Non-Zero Exit',
      description: 'Whether a non-zero exit code (including a timeout) makes the node fail instead of returning the result.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'timeoutMs',
      displayName: 'Timeout (Milliseconds)',
      description: `How long the command may run, in milliseconds (at most ${MAX_COMMAND_TIMEOUT_MS}).`,
      kind: 'number',
      default: MAX_COMMAND_TIMEOUT_MS,
      advanced: true,
      schema: { type: 'integer', minimum: 1, maximum: MAX_COMMAND_TIMEOUT_MS },
      expected: `a whole number of milliseconds from 1 to ${MAX_COMMAND_TIMEOUT_MS} (the service’s limit is 50 s)`,
    },
    {
      name: 'workingDirectory',
      displayName: 'Working Directory',
      description: 'Directory to run the command in; /home/wuying when empty.',
      kind: 'string',
      default: '',
      advanced: true,
      placeholder: '/home/wuying',
      schema: { type: 'string' },
      expected: 'a directory path in the session such as /home/wuying/project, or empty',
    },
    environmentParameter,
  ],
  outputs: [
    { name: 'stdout', type: 'string', description: 'Standard output of the command.' },
    { name: 'stderr', type: 'string', description: 'Standard error of the command.' },
    { name: 'exitCode', type: 'number', description: 'Exit code; 0 means success (124 after a timeout on the local server).' },
    { name: 'output', type: 'string', description: 'stdout followed by stderr, as the SDK reports it.' },
    { name: 'success', type: 'boolean', description: 'Whether the exit code is 0.' },
    { name: 'traceId', type: 'string', description: 'Trace ID the service gives with some failures, when present.', optional: true },
    requestIdOutput,
  ],
});

export const executeCommand = implementOperation(shape, execute);
