/**
 * Moving bytes between the flow and a session path through the session's file-transfer context,
 * as the SDK's `FileTransfer` does (docs/protocol.md §3.2, §4.3, §4.4): GetAndLoadInternalContext
 * names the context and its folder in the session; an upload PUTs the bytes at a presigned URL and
 * syncs the context down to the path (SyncContext `download`); a download syncs the path up
 * (SyncContext `upload`) and GETs the presigned download URL. Each sync is awaited with the one
 * context-sync poller. Like the SDK, the context file is deleted afterwards.
 *
 * The service syncs only inside the context's folder (`/tmp/file_transfer` on the local server).
 * A path elsewhere goes through a staging file in that folder: uploads land there and are moved
 * into place with `move_file`; downloads move the file there for the sync and move it back.
 * Used by Upload File, Download File, and by Write File / Read File when the service lacks the
 * `format: "binary"` extension.
 */
import { randomUUID } from 'node:crypto';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { callToolOrThrow } from '../mcp';
import { fileTransferWait, waitForContextSync } from '../context-sync';
import { defineParameter } from '../define';
import { asRecord, str } from '../session-api';
import type { OperationContext, ParameterDefinition } from '../types';
import { fieldLabel } from '../validation';
import { sessionTool } from './file-paths';
import { fetchFileInfo } from './get-file-info';
import { runtimeText } from '../runtime-texts';

const MIB = 1024 * 1024;
/** Default and largest size of one transferred file: the bytes are held in memory in both runtimes. */
export const DEFAULT_TRANSFER_MAX_MB = 100;
export const TRANSFER_MAX_MB_LIMIT = 1024;
export const DEFAULT_TRANSFER_WAIT_S = 120;
/** Where a transfer path may point: the session's home and temporary trees (the SDK's session areas). */
export const TRANSFER_ROOTS = ['/home/wuying', '/tmp'] as const;
const MAX_PATH_LENGTH = 1024;

/** Paths here are absolute with no `.`/`..` parts (checked first), so normalising only collapses `//`. */
const collapseSlashes = (path: string): string => path.replace(/\/{2,}/g, '/');

/** The folder holding an absolute path (`/` for a top-level entry). */
const parentFolder = (path: string): string => path.slice(0, path.lastIndexOf('/')) || '/';

/**
 * Read File and Write File take the file-transfer path, when the service lacks the `format: "binary"`
 * extension, for binary content and for text above this size: 17 chunked tool calls at 61440 bytes,
 * where the context path costs four calls and a sync.
 */
export const TRANSFER_THRESHOLD_BYTES = MIB;
const SESSION_HOME = '/home/wuying';

export const TRANSFER_PATH_EXPECTED = 'an absolute path inside /home/wuying or /tmp, such as /home/wuying/report.pdf';

export function transferPathParameter<const Name extends string>(name: Name, description: string) {
  return defineParameter({
    name,
    displayName: 'Path',
    description,
    kind: 'string',
    default: '',
    required: true,
    placeholder: '/home/wuying/report.pdf',
    schema: { type: 'string', minLength: 1, maxLength: MAX_PATH_LENGTH },
    expected: TRANSFER_PATH_EXPECTED,
  });
}

export const maxSizeParameter = defineParameter({
  name: 'maxSizeMb',
  displayName: 'Max Size (MB)',
  description: `Largest file moved, in MiB (at most ${TRANSFER_MAX_MB_LIMIT}); the bytes are held in memory. A larger file fails before any transfer.`,
  kind: 'number',
  default: DEFAULT_TRANSFER_MAX_MB,
  advanced: true,
  schema: { type: 'number', minimum: 0.001, maximum: TRANSFER_MAX_MB_LIMIT },
  expected: `a number of MiB from 0.001 to ${TRANSFER_MAX_MB_LIMIT}`,
});

export const syncTimeoutParameter = defineParameter({
  name: 'syncTimeout',
  displayName: 'Sync Timeout (Seconds)',
  description: 'How long to wait for the context sync between the transfer storage and the session (checked every 1.5 s).',
  kind: 'number',
  default: DEFAULT_TRANSFER_WAIT_S,
  advanced: true,
  schema: { type: 'number', minimum: 1, maximum: 3600 },
  expected: 'a number of seconds from 1 to 3600',
});

export interface TransferLimits {
  maxBytes: number;
  timeoutMs: number;
}

export const DEFAULT_TRANSFER_LIMITS: TransferLimits = { maxBytes: DEFAULT_TRANSFER_MAX_MB * MIB, timeoutMs: DEFAULT_TRANSFER_WAIT_S * 1000 };

export function transferLimits(input: { maxSizeMb?: number; syncTimeout?: number }): TransferLimits {
  return {
    maxBytes: Math.floor((input.maxSizeMb ?? DEFAULT_TRANSFER_MAX_MB) * MIB),
    timeoutMs: Math.round((input.syncTimeout ?? DEFAULT_TRANSFER_WAIT_S) * 1000),
  };
}

export function isUnder(child: string, parent: string): boolean {
  return parent === '/' || child === parent || child.startsWith(`${parent}/`);
}

function pathProblem(value: string): string | undefined {
  if (value.trim() === '') return 'is only whitespace';
  if (value.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains a control character';
  if (!value.startsWith('/')) return 'is not absolute';
  if (value.split('/').some((part) => part === '..' || part === '.')) return 'contains "." or ".." components';
  const normal = collapseSlashes(value);
  if (normal.endsWith('/')) return 'names a directory (ends with /)';
  if (!TRANSFER_ROOTS.some((root) => isUnder(normal, root) && normal !== root)) return 'is outside the session';
  return undefined;
}

/**
 * A Read File / Write File path as a transfer path: relative paths are relative to /home/wuying, as
 * for the file tools. Undefined when the transfer path cannot reach it (outside the session's trees).
 */
export function asTransferPath(path: string): string | undefined {
  const absolute = path.startsWith('/') ? path : `${SESSION_HOME}/${path}`;
  if (absolute.split('/').some((part) => part === '..' || part === '.')) return undefined;
  return pathProblem(absolute) === undefined ? collapseSlashes(absolute) : undefined;
}

/**
 * A transfer path, checked before any request: absolute, no `.`/`..`, inside the session's home or
 * temporary tree. Returns it normalised (`//` collapsed).
 */
export function transferPath(value: unknown, parameter: ParameterDefinition): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputValidationError(parameter.name, parameter.expected, `${fieldLabel(parameter)} is required: expected ${parameter.expected}`);
  }
  const problem = pathProblem(value);
  if (problem) {
    throw new InputValidationError(
      parameter.name,
      parameter.expected,
      `${fieldLabel(parameter)} ${problem}: expected ${parameter.expected}, got ${JSON.stringify(value.slice(0, 200))}`,
    );
  }
  return collapseSlashes(value);
}

/** Refuses content over the bound before any request, naming the field. */
export function checkTransferSize(size: number, limits: TransferLimits, parameter: ParameterDefinition): void {
  if (size > limits.maxBytes) {
    throw new InputValidationError(
      parameter.name,
      `at most ${limits.maxBytes} bytes`,
      `${fieldLabel(parameter)} is too large: ${size} bytes, the limit is ${limits.maxBytes} bytes (Max Size)`,
    );
  }
}

interface TransferContext {
  contextId: string;
  /** The context's folder in the session, without a trailing slash. */
  folder: string;
}

async function fileTransferContext(context: OperationContext<'required'>): Promise<TransferContext> {
  const envelope = await context.client.call(
    'GetAndLoadInternalContext',
    { SessionId: context.session.sessionId, 'ContextTypes.1': 'file_transfer' },
    { signal: context.signal },
  );
  const items: unknown[] = Array.isArray(envelope.Data) ? envelope.Data.slice(0, 100) : [];
  for (const item of items) {
    const contextId = str(asRecord(item).ContextId);
    const folder = str(asRecord(item).ContextPath).replace(/\/+$/, '');
    if (contextId !== '' && folder.startsWith('/') && folder.length <= MAX_PATH_LENGTH) return { contextId, folder };
  }
  throw new AgentBayError('The service gave no file-transfer context for this session (GetAndLoadInternalContext)', {
    code: 'FileTransferUnavailable',
    requestId: envelope.RequestId ?? '',
  });
}

async function syncAndWait(
  context: OperationContext<'required'>,
  transfer: TransferContext,
  path: string,
  mode: 'upload' | 'download',
  limits: TransferLimits,
): Promise<void> {
  const sessionId = context.session.sessionId;
  await context.client.call('SyncContext', { SessionId: sessionId, ContextId: transfer.contextId, Path: path, Mode: mode }, { signal: context.signal });
  const tasks = await waitForContextSync(context, sessionId, fileTransferWait(limits.timeoutMs), { contextId: transfer.contextId, path, taskType: mode });
  const direction = mode === 'download' ? 'into the session' : 'out of the session';
  const failed = tasks.find((task) => task.status === 'Failed');
  if (failed) {
    throw new AgentBayError(`The context sync of ${path} ${direction} failed: ${failed.errorMessage || 'no reason given'}`, { code: 'ContextSyncFailed' });
  }
  if (tasks.length === 0 || tasks.some((task) => task.status !== 'Success')) {
    throw new AgentBayError(`The context sync of ${path} ${direction} did not finish within ${Math.round(limits.timeoutMs / 1000)} s (Sync Timeout)`, {
      code: 'ContextSyncTimeout',
    });
  }
}

/** Clean-up that must run even when the node was cancelled: no abort signal, errors ignored. */
async function quietly(work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch {
    // best effort, as the SDK's deleteFile after a transfer
  }
}

function unsignalledTool(context: OperationContext<'required'>, tool: string, args: Record<string, unknown>) {
  return callToolOrThrow(context.client, context.session.sessionId, tool, args, {});
}

function stagingPath(transfer: TransferContext): string {
  return `${transfer.folder}/.agentbay-transfer-${randomUUID()}`;
}

/** Whether `path` exists in the session, refusing directories (a transfer moves one file). */
async function existingFile(context: OperationContext<'required'>, path: string): Promise<boolean> {
  let info;
  try {
    info = (await fetchFileInfo(context, path)).info;
  } catch (error) {
    if (error instanceof AgentBayError && error.code === 'Aborted') throw error;
    return false;
  }
  if (info.isDirectory) throw new AgentBayError(`${path} is a directory; a file transfer needs a file path`, { code: 'InvalidPath' });
  return true;
}

export interface UploadOutcome {
  /** The request of the last service call that did the work. */
  requestId: string;
  contextId: string;
  /** True when the bytes went through a staging file in the transfer folder. */
  staged: boolean;
}

/**
 * Puts `data` at `path` in the session. `overwrite` replaces a file; `create_new` fails when the
 * path exists. The caller has checked the path (`transferPath`) and the size.
 */
export async function uploadThroughContext(
  context: OperationContext<'required'>,
  path: string,
  data: Buffer,
  limits: TransferLimits,
  mode: 'overwrite' | 'create_new' = 'overwrite',
): Promise<UploadOutcome> {
  const exists = await existingFile(context, path);
  if (exists && mode === 'create_new') throw new AgentBayError(`File already exists: ${path}`, { code: 'FileExists' });
  context.progress(runtimeText('gettingTransferContext'));
  const transfer = await fileTransferContext(context);
  const staged = !(isUnder(path, transfer.folder) && path !== transfer.folder);
  const contextPath = staged ? stagingPath(transfer) : path;
  const urlEnvelope = await context.client.call('GetContextFileUploadUrl', { ContextId: transfer.contextId, FilePath: contextPath }, { signal: context.signal });
  const url = str(asRecord(urlEnvelope.Data).Url);
  if (url === '') throw new AgentBayError('GetContextFileUploadUrl gave no URL', { code: 'InvalidResponse', requestId: urlEnvelope.RequestId ?? '' });
  let placed = false;
  try {
    context.progress(runtimeText('uploadingBytes', { bytes: data.length }));
    await context.client.sendToFileUrl({ method: 'PUT', url, body: data, maxBytes: 64 * 1024, signal: context.signal, what: `upload of ${path}` });
    context.progress(runtimeText('syncingIntoSession'));
    await syncAndWait(context, transfer, contextPath, 'download', limits);
    let requestId = urlEnvelope.RequestId ?? '';
    if (staged) {
      await sessionTool(context, 'create_directory', { path: parentFolder(path) });
      // The old file is moved aside, not deleted, until the new one is in place: a failed move loses nothing.
      const aside = exists ? `${path}.agentbay-replaced-${randomUUID()}` : undefined;
      if (aside) await sessionTool(context, 'move_file', { source: path, destination: aside });
      try {
        requestId = (await sessionTool(context, 'move_file', { source: contextPath, destination: path })).requestId;
      } catch (error) {
        if (aside) await quietly(() => unsignalledTool(context, 'move_file', { source: aside, destination: path }));
        throw error;
      }
      if (aside) await quietly(() => unsignalledTool(context, 'delete_file', { path: aside }));
    }
    placed = true;
    return { requestId, contextId: transfer.contextId, staged };
  } finally {
    if (staged && !placed) await quietly(() => unsignalledTool(context, 'delete_file', { path: contextPath }));
    await quietly(() => context.client.call('DeleteContextFile', { ContextId: transfer.contextId, FilePath: contextPath }));
  }
}

export interface DownloadOutcome {
  data: Buffer;
  requestId: string;
  contextId: string;
  staged: boolean;
}

/** Reads the file at `path` in the session. The caller has checked the path (`transferPath`). */
export async function downloadThroughContext(
  context: OperationContext<'required'>,
  path: string,
  limits: TransferLimits,
  sizeParameterName = 'maxSizeMb',
): Promise<DownloadOutcome> {
  const { info } = await fetchFileInfo(context, path);
  if (info.isDirectory) throw new AgentBayError(`Path does not exist or is a directory: ${path}`, { code: 'InvalidPath' });
  if (info.size > limits.maxBytes) {
    throw new AgentBayError(`${path} has ${info.size} bytes, more than the limit of ${limits.maxBytes} bytes (${sizeParameterName})`, { code: 'FileTooLarge' });
  }
  context.progress(runtimeText('gettingTransferContext'));
  const transfer = await fileTransferContext(context);
  const staged = !(isUnder(path, transfer.folder) && path !== transfer.folder);
  const contextPath = staged ? stagingPath(transfer) : path;
  try {
    if (staged) await sessionTool(context, 'move_file', { source: path, destination: contextPath });
    try {
      context.progress(runtimeText('syncingOutOfSession'));
      await syncAndWait(context, transfer, contextPath, 'upload', limits);
    } finally {
      // Back in place as soon as the context holds the bytes, also when the node was cancelled.
      if (staged) {
        await unsignalledTool(context, 'move_file', { source: contextPath, destination: path }).catch((error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          throw new AgentBayError(`Could not move ${path} back from ${contextPath} after the transfer: ${reason}`, { code: 'FileTransferFailed' });
        });
      }
    }
    const urlEnvelope = await context.client.call('GetContextFileDownloadUrl', { ContextId: transfer.contextId, FilePath: contextPath }, { signal: context.signal });
    const url = str(asRecord(urlEnvelope.Data).Url);
    if (url === '') throw new AgentBayError('GetContextFileDownloadUrl gave no URL', { code: 'InvalidResponse', requestId: urlEnvelope.RequestId ?? '' });
    context.progress(runtimeText('downloadingBytes', { bytes: info.size }));
    const { bytes } = await context.client.sendToFileUrl({ method: 'GET', url, maxBytes: limits.maxBytes, signal: context.signal, what: `download of ${path}` });
    return { data: bytes, requestId: urlEnvelope.RequestId ?? '', contextId: transfer.contextId, staged };
  } finally {
    await quietly(() => context.client.call('DeleteContextFile', { ContextId: transfer.contextId, FilePath: contextPath }));
  }
}
