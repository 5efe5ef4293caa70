/**
 * What the file and execution operations share: path parameters and their checks, the MCP tool
 * call on the context's session, and the small helpers around file names and content types.
 */
import type { CallOptions } from '../../client/client';
import { InputValidationError } from '../../client/errors';
import { callToolOrThrow, type ToolAnswer } from '../mcp';
import { defineParameter } from '../define';
import { fieldLabel } from '../validation';
import type { OperationContext, ParameterDefinition } from '../types';

export const PATH_EXPECTED =
  'an absolute path in the session such as /home/wuying/report.txt, or a path relative to /home/wuying';

/** The size of one read or write chunk, as the TS SDK uses it ("60KB": bytes for reads, UTF-16 units for text writes). */
export const CHUNK_SIZE = 61440;

/**
 * The size of one binary read or write chunk (raw bytes) through this package's `format: "binary"`
 * extension of `read_file`/`write_file`. The extension is ours (the SDKs never send binary), so no
 * SDK chunk size binds it: 768 KiB chunks take 13× fewer round trips than 60 KB ones, which were
 * most of the time of a binary transfer (bench/). A multiple of 3, so each chunk's base64 has no
 * padding and decodes on its own; 1 MiB of base64 per call, far below the services' body limits.
 */
export const BINARY_CHUNK_BYTES = 768 * 1024;

/** A required session path. Where it may point is the session's business (the local server keeps it inside the session). */
export function pathParameter<const Name extends string>(
  name: Name,
  displayName: string,
  description: string,
  placeholder = '/home/wuying/report.txt',
) {
  return defineParameter({
    name,
    displayName,
    description,
    kind: 'string',
    default: '',
    required: true,
    placeholder,
    schema: { type: 'string', minLength: 1 },
    expected: PATH_EXPECTED,
  });
}

function pathProblem(value: string): string | undefined {
  if (value.trim() === '') return 'is only whitespace';
  if (value.includes('\0')) return 'contains a NUL character';
  return undefined;
}

/** The value of a path parameter, checked beyond its schema (no blank or NUL-carrying paths). */
export function requirePath<Name extends string>(input: { readonly [K in Name]?: unknown }, parameter: ParameterDefinition & { name: Name }): string {
  const value = input[parameter.name];
  if (typeof value !== 'string' || value === '') {
    throw new InputValidationError(parameter.name, parameter.expected, `${fieldLabel(parameter)} is required: expected ${parameter.expected}`);
  }
  const problem = pathProblem(value);
  if (problem) {
    throw new InputValidationError(parameter.name, parameter.expected, `${fieldLabel(parameter)} ${problem}: expected ${parameter.expected}`);
  }
  return value;
}

/** Each entry of a path list, checked like a single path; the message names the entry. */
export function requirePaths<Name extends string>(input: { readonly [K in Name]?: unknown }, parameter: ParameterDefinition & { name: Name }): string[] {
  const value = input[parameter.name];
  const paths = Array.isArray(value) ? (value as unknown[]) : [];
  paths.forEach((entry, index) => {
    const problem = typeof entry !== 'string' || entry === '' ? 'is empty' : pathProblem(entry);
    if (problem) {
      throw new InputValidationError(
        parameter.name,
        parameter.expected,
        `${fieldLabel(parameter)}: entry ${index + 1} ${problem}: expected ${parameter.expected}`,
      );
    }
  });
  return paths as string[];
}

/** Calls a tool on the operation's session; an `isError` answer becomes an AgentBayError with the tool's text. */
export function sessionTool(
  context: OperationContext<'required'>,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions = {},
): Promise<ToolAnswer> {
  return callToolOrThrow(context.client, context.session.sessionId, tool, args, { signal: context.signal, ...options });
}

/** Last component of a session path (`/home/wuying/a/report.txt` → `report.txt`). */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return name === '' ? 'file' : name;
}

const MIME_TYPES: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  mjs: 'text/javascript',
  ts: 'text/plain',
  py: 'text/x-python',
  sh: 'application/x-sh',
  json: 'application/json',
  xml: 'application/xml',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  webm: 'video/webm',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** Content type from the file extension; unknown extensions are application/octet-stream. */
export function guessMimeType(path: string): string {
  const name = baseName(path);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'application/octet-stream';
  return MIME_TYPES[name.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
