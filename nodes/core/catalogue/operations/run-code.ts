import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { requestIdOutput, timeoutSecondsParameter } from '../common-parameters';
import { callMcpTool } from '../mcp';
import { parseRunCodeText } from '../run-code-results';

export const LANGUAGES = ['python', 'javascript', 'r', 'java'] as const;
type Language = (typeof LANGUAGES)[number];

/** The SDK's aliases, matched after trimming and lower-casing. */
const ALIASES: Record<string, Language> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  javascript: 'javascript',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  r: 'r',
  java: 'java',
};

export const MAX_CODE_TIMEOUT_S = 3600;
/** HTTP time on top of the code's own timeout, so the answer arrives before the request gives up. */
const HTTP_MARGIN_S = 10;
const LANGUAGE_EXPECTED = "one of 'python', 'javascript', 'r', 'java' (aliases py, python3, js, node, nodejs)";

export function canonicalLanguage(value: unknown): Language {
  const raw = typeof value === 'string' ? value : String(value);
  const language = ALIASES[raw.trim().toLowerCase()];
  if (!language) {
    throw new InputValidationError(
      'language',
      LANGUAGE_EXPECTED,
      `Language (language): Unsupported language: ${raw}. Supported languages are 'python', 'javascript', 'r', and 'java'`,
    );
  }
  return language;
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const language = canonicalLanguage(input.language);
  const timeoutS = input.timeoutS;
  const answer = await callMcpTool(
    context.client,
    context.session.sessionId,
    'run_code',
    { code: input.code, language, timeout_s: timeoutS },
    { signal: context.signal, timeoutMs: (timeoutS + HTTP_MARGIN_S) * 1000 },
  );
  // A failed call whose text is not the interpreter's JSON is a tool failure (no runtime, bad arguments).
  if (answer.isError && !answer.text.trimStart().startsWith('{')) {
    throw new AgentBayError(answer.errorMessage || 'Failed to run code', { code: 'ToolError', requestId: answer.requestId });
  }
  const run = parseRunCodeText(answer.text, answer.isError);
  if (!run.success && input.failOnError === true) {
    throw new AgentBayError(`Code execution failed: ${run.executionError || run.stderr.trim() || 'unknown error'}`, {
      code: 'CodeExecutionFailed',
      requestId: answer.requestId,
    });
  }
  const json = {
    result: run.result,
    results: run.results,
    stdout: run.stdout,
    stderr: run.stderr,
    executionError: run.executionError,
    success: run.success,
    language,
    requestId: answer.requestId,
    ...(run.executionCount !== undefined ? { executionCount: run.executionCount } : {}),
    ...(run.executionTime !== undefined ? { executionTime: run.executionTime } : {}),
  };
  return run.images.length > 0 ? { json, binary: run.images } : { json };
}

const shape = describeOperation({
  id: 'runCode',
  displayName: 'Run Code',
  summary: 'Runs Python, JavaScript, R or Java code in the session and returns its results, output and errors.',
  details: [
    'Runs the code with the session’s code interpreter (`run_code` tool), which works like a notebook: each language has one interpreter per session, so variables, imports and functions defined by one Run Code node are there for the next one in the same session, and `executionCount` numbers the cells. The value of the last expression is the main result (`result`), and rich values (HTML, Markdown, JSON, SVG, LaTeX, images, charts) appear in `results` — in Python from `display(...)`, IPython display objects, pandas DataFrames and matplotlib figures.',
    'PNG, JPEG and SVG images become files: n8n binary properties and Node-RED Buffers at `msg.payload.image`, `msg.payload.image_1`, … Each entry of `results` that holds an image names its key in `imageKey`.',
    'An exception in the code is a result, not a node error: `success` is false and `executionError` holds the error and traceback. Turn on **Fail On Error** to make it an error instead. A timeout is reported the same way.',
    "The language accepts the SDK's aliases (py, python3 → python; js, node, nodejs → javascript). Others fail before any request with the SDK's message `Unsupported language: <x>. Supported languages are 'python', 'javascript', 'r', and 'java'`.",
    `The timeout is in seconds (default 60, at most ${MAX_CODE_TIMEOUT_S}); the node waits that long plus ${HTTP_MARGIN_S} s for the answer. The local server caps runs at 300 s.`,
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'language',
      displayName: 'Language',
      description: 'The language of the code.',
      kind: 'options',
      default: 'python',
      options: [
        { name: 'Python', value: 'python' },
        { name: 'JavaScript', value: 'javascript' },
        { name: 'R', value: 'r' },
        { name: 'Java', value: 'java' },
      ],
      schema: { type: 'string' },
      expected: LANGUAGE_EXPECTED,
    },
    {
      name: 'code',
      displayName: 'Code',
      description: 'The code to run. The value of the last expression is the main result; definitions stay for later Run Code nodes in the same session.',
      kind: 'code',
      default: '',
      required: true,
      placeholder: 'print("hello")',
      schema: { type: 'string', minLength: 1 },
      expected: 'source code in the chosen language',
    },
    {
      name: 'failOnError',
      displayName: 'Fail On Error',
      description: 'Whether an exception or timeout in the code makes the node fail instead of returning the result.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    timeoutSecondsParameter('timeoutS', 'Timeout (Seconds)', 'How long the code may run, in seconds.', 60, MAX_CODE_TIMEOUT_S),
  ],
  outputs: [
    { name: 'result', type: 'string', description: 'Text of the main result (last expression), else of the first result, else the printed output.' },
    {
      name: 'results',
      type: 'object[]',
      description: 'Every result: {mimeTypes, isMainResult, text?, html?, markdown?, json?, svg?, latex?, charts?, imageKey?}.',
    },
    { name: 'stdout', type: 'string', description: 'Printed output.' },
    { name: 'stderr', type: 'string', description: 'Error output.' },
    { name: 'executionError', type: 'string', description: 'The error and traceback when the code failed; empty on success.' },
    { name: 'success', type: 'boolean', description: 'Whether the code ran without an error.' },
    { name: 'language', type: 'string', description: 'The language used (aliases resolved).' },
    { name: 'executionCount', type: 'number', description: 'The cell number in the session’s interpreter for this language, when the service reports it.', optional: true },
    { name: 'executionTime', type: 'number', description: 'Run time in seconds, when the service reports it.', optional: true },
    { name: 'image, image_1, …', type: 'binary', description: 'PNG/JPEG/SVG images the code produced (n8n binary data, Node-RED Buffers).' },
    requestIdOutput,
  ],
});

export const runCode = implementOperation(shape, execute);
