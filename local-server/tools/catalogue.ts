/**
 * The tool catalogue: one definition per tool whose inputSchema serves both ListMcpTools and the
 * ajv validation of CallMcpTool arguments (compiled once, at module load).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { McpToolDescriptor, McpToolResult } from '../sandbox/contract';
import { findForbiddenKey, parseWireJson } from '../protocol/json-field';
import { ToolError } from '../sandbox/errors';
import type { ToolCatalogue } from '../sandbox/tool-host';
import type { ToolContext } from './context';
import { editFileTool, type EditFileArgs } from './edit-file';
import { getFileChangeTool, type FileChangeArgs } from './file-change';
import {
  createDirectoryTool, deleteFileTool, getFileInfoTool, listDirectoryTool, moveFileTool, readFileTool,
  readMultipleFilesTool, writeFileTool,
  type MoveFileArgs, type PathArgs, type ReadFileArgs, type ReadMultipleArgs, type WriteFileArgs,
} from './files';
import { getMetricsTool } from './metrics';
import { fail, ok } from './result';
import { runCodeTool, type RunCodeArgs } from './run-code';
import { searchFilesTool, type SearchFilesArgs } from './search-files';
import { shellTool, type ShellArgs } from './shell';

type Handler<A> = (args: A, ctx: ToolContext, signal?: AbortSignal) => Promise<McpToolResult | string>;

interface ToolDefinition {
  name: string;
  server: string;
  description: string;
  inputSchema: Record<string, unknown>;
  handler: Handler<never>;
}

/** Ties a handler's argument type to its schema at the definition site (checked by ajv at run time). */
function tool<A>(name: string, server: string, description: string, inputSchema: Record<string, unknown>, handler: Handler<A>): ToolDefinition {
  return { name, server, description, inputSchema, handler: handler as Handler<never> };
}

const str = (description: string): Record<string, unknown> => ({ type: 'string', description });
const obj = (properties: Record<string, unknown>, required: string[]): Record<string, unknown> => ({ type: 'object', properties, required });
const pathOnly = (what: string): Record<string, unknown> => obj({ path: str(what) }, ['path']);

const FS = 'wuying_filesystem';
/** Timeouts above their cap are clamped by the tool; this bound only keeps them finite. */
const MAX_INT32 = 2_147_483_647;

export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  tool<ShellArgs>('shell', 'wuying_shell', 'Execute a shell command in the session (bash). Returns JSON {stdout, stderr, exit_code}.', obj({
    command: str('The command line to run'),
    timeout_ms: { type: 'number', minimum: 0, maximum: MAX_INT32, description: 'Timeout in milliseconds (at most 50000; 0 or absent = 50000)' },
    cwd: str('Working directory (absolute, or relative to /home/wuying)'),
    envs: { type: 'object', additionalProperties: { type: 'string' }, description: 'Extra environment variables (string values)' },
  }, ['command']), shellTool),
  tool<RunCodeArgs>('run_code', 'wuying_codespace', "Run code in python, javascript, java or r. Returns the code-interpreter JSON (result, stdout, stderr, executionError).", obj({
    code: str('The source code to run'),
    language: str("'python' (py, python3), 'javascript' (js, node, nodejs), 'java' or 'r'"),
    timeout_s: { type: 'number', minimum: 0, maximum: MAX_INT32, description: 'Timeout in seconds (default 60, at most 300)' },
  }, ['code']), runCodeTool),
  tool<ReadFileArgs>('read_file', FS, 'Read a file; offset/length are byte positions (length 0 = to the end); format "binary" returns base64.', obj({
    path: str('File path'),
    offset: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Byte offset to start at' },
    length: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Bytes to read (0 = to the end)' },
    format: { type: 'string', enum: ['text', 'binary'], description: 'text (default) or binary (base64)' },
  }, ['path']), readFileTool),
  tool<WriteFileArgs>('write_file', FS, 'Write a file, creating parent directories. mode: overwrite (default), append, create_new; format "binary" means content is base64.', obj({
    path: str('File path'),
    content: str('Content (base64 when format is binary)'),
    mode: { type: 'string', enum: ['overwrite', 'append', 'create_new'] },
    format: { type: 'string', enum: ['text', 'binary'] },
  }, ['path', 'content']), writeFileTool),
  tool<PathArgs>('list_directory', FS, 'List a directory, one "[DIR] name" or "[FILE] name" line per entry, sorted by name.', pathOnly('Directory path'), listDirectoryTool),
  tool<PathArgs>('create_directory', FS, 'Create a directory and any missing parents.', pathOnly('Directory path'), createDirectoryTool),
  tool<EditFileArgs>('edit_file', FS, 'Replace exact text in a file, edits applied in order; returns a unified diff. dryRun previews without writing.', obj({
    path: str('File path'),
    edits: { type: 'array', items: obj({ oldText: str('Text to find (must occur)'), newText: str('Replacement') }, ['oldText', 'newText']) },
    dryRun: { type: 'boolean', description: 'Only show the diff' },
  }, ['path', 'edits']), editFileTool),
  tool<MoveFileArgs>('move_file', FS, 'Move or rename a file or directory; fails when the destination exists.', obj({
    source: str('Existing path'),
    destination: str('New path'),
  }, ['source', 'destination']), moveFileTool),
  tool<PathArgs>('get_file_info', FS, 'File metadata as "key: value" lines (name, path, size, isDirectory, modTime, mode).', pathOnly('File or directory path'), getFileInfoTool),
  tool<SearchFilesArgs>('search_files', FS, 'Recursively find entries whose name matches a wildcard (* ?) pattern, or contains it when it has no wildcard. One path per line.', obj({
    path: str('Directory to search'),
    pattern: str('Wildcard pattern, e.g. *.py'),
    excludePatterns: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }], description: 'Wildcards to skip (array or comma-separated string)' },
  }, ['path', 'pattern']), searchFilesTool),
  tool<ReadMultipleArgs>('read_multiple_files', FS, 'Read several files; blocks "<path>: " + content separated by "---" lines.', obj({
    paths: { type: 'array', items: { type: 'string' } },
  }, ['paths']), readMultipleFilesTool),
  tool<PathArgs>('delete_file', FS, 'Delete a file, symlink or empty directory.', pathOnly('Path to delete'), deleteFileTool),
  tool<FileChangeArgs>('get_file_change', FS, 'Changes under a directory since the previous call for it (JSON array of {eventType, path, pathType}); the first call sets the baseline.', pathOnly('Directory to watch'), getFileChangeTool),
  tool<Record<string, unknown>>('get_metrics', 'wuying_system', 'CPU, memory, disk and network figures of the session host as JSON.', obj({}, []), getMetricsTool),
];

const ajv = new Ajv({ allErrors: false, strict: true, verbose: true });
const BY_NAME = new Map<string, { def: ToolDefinition; validate: ValidateFunction }>(
  TOOL_DEFINITIONS.map((def) => [def.name, { def, validate: ajv.compile(def.inputSchema) }]),
);

export function toolDescriptors(): McpToolDescriptor[] {
  return TOOL_DEFINITIONS.map((d) => ({
    name: d.name,
    description: d.description,
    inputSchema: structuredClone(d.inputSchema),
    server: d.server,
    tool: d.name,
  }));
}

/** `/envs/FOO` → `envs.FOO`; a missing property is named by itself. */
function fieldName(err: ErrorObject): string {
  const base = err.instancePath.slice(1).split('/').map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty?: unknown }).missingProperty);
    return base ? `${base}.${missing}` : missing;
  }
  return base;
}

function describe(err: ErrorObject): string {
  const field = fieldName(err);
  switch (err.keyword) {
    case 'required':
      return `missing required field '${field}'`;
    case 'type':
      return `field '${field}' must be ${String((err.params as { type?: unknown }).type)}`;
    case 'enum':
      return `field '${field}' must be one of ${((err.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'anyOf': {
      const types = Array.isArray(err.schema) ? err.schema.map((s: unknown) => (s as { type?: unknown }).type).join(' or ') : 'another type';
      return `field '${field}' must be ${types}`;
    }
    default:
      return field ? `field '${field}' ${err.message ?? 'is invalid'}` : err.message ?? 'invalid';
  }
}

/** Unexpected errors may quote host paths; show them as the session sees them. */
function hideHostPaths(message: string, ctx: ToolContext): string {
  return message
    .split(ctx.paths.homeHost).join('/home/wuying')
    .split(ctx.paths.tmpHost).join('/tmp')
    .split(ctx.paths.rootDir).join('<session>')
    .replace(/\n[\s\S]*/, '');
}

/**
 * Arguments may arrive as an object, or still JSON-encoded (the wire's `Args`). Either way a
 * `__proto__` / `constructor` / `prototype` key is refused (see protocol/wire-keys.ts).
 */
function normalizeArgs(args: unknown): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (args === undefined || args === null || args === '') return { ok: true, value: {} };
  if (typeof args === 'string') {
    const parsed = parseWireJson(args);
    // A string that is not JSON stays a string and fails the "expected a JSON object" check.
    return parsed.ok || parsed.forbiddenKey ? parsed : { ok: true, value: args };
  }
  const bad = findForbiddenKey(args);
  return bad === undefined ? { ok: true, value: args } : { ok: false, reason: `the key ${JSON.stringify(bad)} is not allowed` };
}

export async function callCatalogueTool(name: string, rawArgs: unknown, ctx: ToolContext, signal?: AbortSignal): Promise<McpToolResult> {
  const entry = BY_NAME.get(name);
  if (!entry) return fail(`Unknown tool: ${name}`);
  const normalized = normalizeArgs(rawArgs);
  if (!normalized.ok) return fail(`Invalid arguments for ${name}: ${normalized.reason}`);
  const args = normalized.value;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return fail(`Invalid arguments for ${name}: expected a JSON object`);
  if (!entry.validate(args)) {
    // ajv lists the failing branches of an anyOf before the anyOf itself; the latter reads better.
    const errors = entry.validate.errors ?? [];
    const err = errors.find((e) => e.keyword === 'anyOf') ?? errors[0];
    return fail(`Invalid arguments for ${name}: ${err ? describe(err) : 'schema validation failed'}`);
  }
  try {
    const out = await entry.def.handler(args as never, ctx, signal);
    return typeof out === 'string' ? ok(out) : out;
  } catch (err) {
    if (err instanceof ToolError) return fail(err.message);
    return fail(`Internal error in ${name}: ${hideHostPaths(err instanceof Error ? err.message : String(err), ctx)}`);
  }
}

/** The catalogue as the sandbox takes it (createWorkspaceFactory's `catalogue`). */
export const toolCatalogue: ToolCatalogue = { descriptors: toolDescriptors, call: callCatalogueTool };
