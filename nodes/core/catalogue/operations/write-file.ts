import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { lastRequestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { fieldLabel } from '../validation';
import type { OperationContext } from '../types';
import { BINARY_CHUNK_BYTES, CHUNK_SIZE, pathParameter, requirePath, sessionTool } from './file-paths';
import { fetchFileInfo } from './get-file-info';
import { offersBinaryFileFormat } from '../tool-servers';
import {
  asTransferPath, downloadThroughContext, uploadThroughContext, DEFAULT_TRANSFER_LIMITS, TRANSFER_PATH_EXPECTED, TRANSFER_THRESHOLD_BYTES,
} from './file-transfer';
import { runtimeText } from '../runtime-texts';

export const WRITE_MODES = ['overwrite', 'append', 'create_new'] as const;

const pathInput = pathParameter('path', 'Path', 'The file to write; missing parent directories are created.');

/**
 * Text split as the TS SDK does (more than 61440 UTF-16 units → chunks of 61440), except that a
 * chunk never ends between the two halves of a surrogate pair: the SDK's plain `substring`
 * would send lone surrogates, which JSON encodes as invalid UTF-16 and the file gets U+FFFD.
 */
export function textChunks(content: string): string[] {
  if (content.length <= CHUNK_SIZE) return [content];
  const chunks: string[] = [];
  let start = 0;
  while (start < content.length) {
    let end = Math.min(start + CHUNK_SIZE, content.length);
    const last = content.charCodeAt(end - 1);
    if (end < content.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(content.slice(start, end));
    start = end;
  }
  return chunks;
}

/** Bytes as base64, BINARY_CHUNK_BYTES of them per chunk, so each chunk decodes on its own. */
export function binaryChunks(content: Buffer): string[] {
  if (content.length <= BINARY_CHUNK_BYTES) return [content.toString('base64')];
  const chunks: string[] = [];
  for (let start = 0; start < content.length; start += BINARY_CHUNK_BYTES) {
    chunks.push(content.subarray(start, start + BINARY_CHUNK_BYTES).toString('base64'));
  }
  return chunks;
}

async function existingSize(context: OperationContext<'required'>, path: string): Promise<number> {
  try {
    return (await fetchFileInfo(context, path)).info.size;
  } catch {
    return 0; // appending to a file that does not exist yet
  }
}

/**
 * `format: "binary"` is our extension; a service that ignores it stores the base64 text instead
 * of the bytes. The size gives that away (4/3 larger), so the node fails instead of passing on a
 * corrupt file as written.
 */
async function checkBinaryWrite(context: OperationContext<'required'>, path: string, expectedSize: number): Promise<void> {
  const { info, requestId } = await fetchFileInfo(context, path);
  if (info.size !== expectedSize) {
    throw new AgentBayError(
      `Binary write to ${path} is not supported by this service: the file has ${info.size} bytes instead of ${expectedSize} (it stored the base64 text). Write text, or use the local server.`,
      { code: 'BinaryWriteUnsupported', requestId },
    );
  }
}

/**
 * The file-transfer path for a service without `format: "binary"` (the cloud): binary content, and
 * text above TRANSFER_THRESHOLD_BYTES unless appended (chunked text appends work everywhere).
 * Undefined: write with `write_file`.
 */
async function transferTarget(context: ContextOfShape<typeof shape>, path: string, content: string | Buffer, mode: string): Promise<string | undefined> {
  const binary = Buffer.isBuffer(content);
  const large = !binary && mode !== 'append' && Buffer.byteLength(content, 'utf8') > TRANSFER_THRESHOLD_BYTES;
  if (!binary && !large) return undefined;
  if (await offersBinaryFileFormat(context.client, context.session.sessionId, 'write_file', { signal: context.signal })) return undefined;
  const target = asTransferPath(path);
  if (target === undefined && binary) {
    throw new InputValidationError(
      pathInput.name,
      TRANSFER_PATH_EXPECTED,
      `${fieldLabel(pathInput)} cannot take binary data on this service: it writes binary files through its file-transfer context, which reaches ${TRANSFER_PATH_EXPECTED}; got ${JSON.stringify(path.slice(0, 200))}`,
    );
  }
  return target;
}

async function writeThroughContext(context: ContextOfShape<typeof shape>, path: string, content: string | Buffer, mode: (typeof WRITE_MODES)[number]) {
  const binary = Buffer.isBuffer(content);
  let data = binary ? content : Buffer.from(content, 'utf8');
  if (data.length > DEFAULT_TRANSFER_LIMITS.maxBytes) {
    throw new InputValidationError('content', `at most ${DEFAULT_TRANSFER_LIMITS.maxBytes} bytes`, `Content (content) is too large for the file-transfer path: ${data.length} bytes, the limit is ${DEFAULT_TRANSFER_LIMITS.maxBytes} bytes`);
  }
  const bytesWritten = data.length;
  if (mode === 'append' && (await existingSize(context, path)) > 0) {
    const before = await downloadThroughContext(context, path, DEFAULT_TRANSFER_LIMITS);
    data = Buffer.concat([before.data, data]);
  }
  const outcome = await uploadThroughContext(context, path, data, DEFAULT_TRANSFER_LIMITS, mode === 'create_new' ? 'create_new' : 'overwrite');
  await checkBinaryWrite(context, path, data.length);
  return {
    json: { path, bytesWritten, mode, encoding: binary ? 'binary' : 'utf-8', chunks: 0, transfer: 'context', requestId: outcome.requestId },
  };
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const path = requirePath(input, pathInput);
  const mode = input.mode;
  const content = input.content;
  const viaContext = await transferTarget(context, path, content, mode);
  if (viaContext !== undefined) return writeThroughContext(context, viaContext, content, mode);
  const binary = Buffer.isBuffer(content);
  const chunks = binary ? binaryChunks(content) : textChunks(content);
  const sizeBefore = binary && mode === 'append' ? await existingSize(context, path) : 0;
  let requestId = '';
  for (let index = 0; index < chunks.length; index++) {
    if (chunks.length > 1) context.progress(runtimeText('writingChunks', { done: index + 1, total: chunks.length }));
    const args: Record<string, unknown> = { path, content: chunks[index], mode: index === 0 ? mode : 'append' };
    if (binary) args.format = 'binary';
    requestId = (await sessionTool(context, 'write_file', args)).requestId;
  }
  if (binary) await checkBinaryWrite(context, path, sizeBefore + content.length);
  return {
    json: {
      path,
      bytesWritten: binary ? content.length : Buffer.byteLength(content, 'utf8'),
      mode,
      encoding: binary ? 'binary' : 'utf-8',
      chunks: chunks.length,
      transfer: 'tool',
      requestId,
    },
  };
}

const shape = describeOperation({
  id: 'writeFile',
  displayName: 'Write File',
  summary: 'Writes text or binary data to a file in the session.',
  details: [
    'Writes with the `write_file` tool; missing parent directories are created. **Overwrite** replaces the file, **Append** adds to its end, **Create New** fails when the file already exists.',
    'Text (a string: n8n text field, Node-RED string `msg.payload`) is written as UTF-8. Text longer than 61440 characters is sent in chunks, as the TS SDK does: the first chunk uses the chosen mode, the others append. The node shows its progress (`writing 3/40 chunks`).',
    'Binary data (n8n: a binary property of the input item, Node-RED: a Buffer in `msg.payload`) is written byte for byte: where the service offers it (the local server), it is sent base64-encoded, in chunks of 768 KiB (1 MiB of base64), with the argument `format: "binary"`, this package’s extension of the `write_file` tool (the SDKs only write text, so no SDK chunk size applies; bigger chunks mean fewer round trips).',
    'A service whose `write_file` does not offer `format: "binary"` in the session’s tool list (the cloud) gets binary content, and text over 1 MiB (except appends), through the session’s file-transfer context instead, as Upload File does: presigned upload URL, context sync, then `move_file` into place; `transfer` says `context`. That path reaches files inside /home/wuying and /tmp (relative paths are under /home/wuying), holds at most 100 MiB, and appends by downloading the file first.',
    'After a binary write the node checks the file size, so a service that ignores `format: "binary"` while offering it (and stored the base64 text) fails the node instead of leaving a corrupt file.',
    'By default the content is the text output of the step before: Node-RED takes `msg.payload`, and when that is the result of Run Code or Execute Command (an object) it writes its `stdout`; n8n’s Content defaults to `{{ $json.stdout }}`. So **Run Code → Write File** writes what the code printed, with no setting. Any other object is refused, naming the field.',
    'Content is required: to create an empty file use Execute Command with `touch <path>`.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    pathInput,
    {
      name: 'content',
      displayName: 'Content',
      description:
        'What to write: text, or binary data (n8n binary property, Node-RED Buffer). By default the previous step’s text output: its stdout (Run Code, Execute Command).',
      kind: 'data',
      default: '',
      required: true,
      nodeRedSource: { type: 'msg', value: 'payload' },
      resultTextField: 'stdout',
      expected: 'text, binary data (n8n: a binary property of the item; Node-RED: a Buffer), or a Run Code / Execute Command result (its stdout is written)',
    },
    {
      name: 'mode',
      displayName: 'Mode',
      description: 'What to do when the file exists.',
      kind: 'options',
      default: 'overwrite',
      options: [
        { name: 'Overwrite', value: 'overwrite', description: 'Replace the file' },
        { name: 'Append', value: 'append', description: 'Add to the end of the file' },
        { name: 'Create New', value: 'create_new', description: 'Fail when the file already exists' },
      ],
      schema: { type: 'string', enum: [...WRITE_MODES] },
      expected: 'overwrite, append or create_new',
    },
  ],
  outputs: [
    { name: 'path', type: 'string', description: 'The path written.' },
    { name: 'bytesWritten', type: 'number', description: 'Number of bytes written (UTF-8 bytes for text).' },
    { name: 'mode', type: 'string', description: 'The mode used for the first chunk.' },
    { name: 'encoding', type: 'string', description: 'utf-8 (text) or binary.' },
    { name: 'chunks', type: 'number', description: 'Number of write calls made (0 through the file-transfer context).' },
    { name: 'transfer', type: 'string', description: 'tool (`write_file` calls) or context (the file-transfer context).' },
    lastRequestIdOutput,
  ],
});

export const writeFile = implementOperation(shape, execute);
