import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { lastRequestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { isBase64 } from '../base64';
import { fetchFileInfo } from './get-file-info';
import { baseName, BINARY_CHUNK_BYTES, CHUNK_SIZE, guessMimeType, pathParameter, requirePath, sessionTool } from './file-paths';
import { offersBinaryFileFormat } from '../tool-servers';
import { asTransferPath, downloadThroughContext, DEFAULT_TRANSFER_LIMITS, TRANSFER_PATH_EXPECTED, TRANSFER_THRESHOLD_BYTES } from './file-transfer';
import { fieldLabel } from '../validation';
import { runtimeText } from '../runtime-texts';

/** The binary key of the file: n8n's conventional `data` property, Node-RED's `msg.payload.data`. */
export const READ_FILE_BINARY_KEY = 'data';

const pathInput = pathParameter('path', 'Path', 'The file to read.');

function decodeChunk(text: string, path: string, requestId: string): Buffer {
  // Whitespace is rare (wrapped base64): check the text as it is first, strip only if that fails.
  if (isBase64(text)) return Buffer.from(text, 'base64');
  const compact = text.replace(/\s+/g, '');
  if (!isBase64(compact)) {
    throw new AgentBayError(`Invalid base64 content in the binary read of ${path}`, { code: 'InvalidResponse', requestId });
  }
  return Buffer.from(compact, 'base64');
}

async function execute(context: ContextOfShape<typeof shape>, input: InputOfShape<typeof shape>) {
  const path = requirePath(input, pathInput);
  const binary = input.format === 'binary';
  const { info, requestId: infoRequestId } = await fetchFileInfo(context, path);
  if (info.isDirectory) {
    throw new AgentBayError(`Path does not exist or is a directory: ${path}`, { code: 'InvalidPath', requestId: infoRequestId });
  }
  const fileName = baseName(path);
  const mimeType = guessMimeType(path);
  const size = info.size;
  if ((binary || size > TRANSFER_THRESHOLD_BYTES) && !(await offersBinaryFileFormat(context.client, context.session.sessionId, 'read_file', { signal: context.signal }))) {
    const target = asTransferPath(path);
    if (target === undefined && binary) {
      throw new InputValidationError(
        pathInput.name,
        TRANSFER_PATH_EXPECTED,
        `${fieldLabel(pathInput)} cannot be read as binary on this service: it reads binary files through its file-transfer context, which reaches ${TRANSFER_PATH_EXPECTED}; got ${JSON.stringify(path.slice(0, 200))}`,
      );
    }
    if (target !== undefined) {
      const { data, requestId } = await downloadThroughContext(context, target, DEFAULT_TRANSFER_LIMITS);
      const base = { path, fileName, mimeType, size: data.length, transfer: 'context', requestId };
      if (!binary) return { json: { ...base, encoding: 'utf-8', content: data.toString('utf8') } };
      return { json: { ...base, encoding: 'binary' }, binary: [{ key: READ_FILE_BINARY_KEY, data, mimeType, fileName }] };
    }
  }
  const chunkSize = binary ? BINARY_CHUNK_BYTES : CHUNK_SIZE;
  const chunkCount = Math.ceil(size / chunkSize);
  let requestId = infoRequestId;
  const texts: string[] = [];
  const buffers: Buffer[] = [];
  for (let index = 0; index < chunkCount; index++) {
    if (chunkCount > 1) context.progress(runtimeText('readingChunks', { done: index + 1, total: chunkCount }));
    const offset = index * chunkSize;
    const length = Math.min(chunkSize, size - offset);
    const args: Record<string, unknown> = { path, offset, length };
    if (binary) args.format = 'binary';
    const answer = await sessionTool(context, 'read_file', args);
    requestId = answer.requestId;
    if (binary) {
      const chunk = decodeChunk(answer.text, path, answer.requestId);
      buffers.push(chunk);
      if (chunk.length < length) break; // the file shrank while we read it
    } else {
      texts.push(answer.text);
    }
  }

  const json = { path, fileName, mimeType, encoding: binary ? 'binary' : 'utf-8', transfer: 'tool', requestId };
  if (!binary) return { json: { ...json, size, content: texts.join('') } };
  const data = Buffer.concat(buffers);
  return {
    json: { ...json, size: data.length },
    binary: [{ key: READ_FILE_BINARY_KEY, data, mimeType, fileName }],
  };
}

const shape = describeOperation({
  id: 'readFile',
  displayName: 'Read File',
  summary: 'Reads a file from the session as text or as binary data.',
  details: [
    'Looks the file up first (`get_file_info`), then reads it in chunks: 61440 bytes for text, as the TS SDK does, and 768 KiB for binary, through this package’s `format: "binary"` extension (fewer round trips; no SDK reads binary); the node shows its progress (`reading 3/171 chunks`) for large files. An empty file gives empty content without a read. A directory fails with `Path does not exist or is a directory: <path>`; a missing file with the tool’s own message.',
    '**Text** puts the content in `content` (UTF-8). **Binary** reads the bytes exactly (base64 on the wire) and returns them as a file: in n8n the binary property `data` (the name n8n nodes expect by default, so Write File and other binary nodes pick it up unchanged), in Node-RED a Buffer at `msg.payload.data`. `fileName` is the base name of the path; `mimeType` is guessed from the extension (application/octet-stream when unknown).',
    'A service whose `read_file` does not offer `format: "binary"` in the session’s tool list (the cloud) gives binary reads, and files over 1 MiB, through the session’s file-transfer context instead, as Download File does (`transfer` says `context`): the file is synced out and fetched from a presigned URL. That path reaches files inside /home/wuying and /tmp (relative paths are under /home/wuying) of at most 100 MiB; a larger text file elsewhere is read in chunks.',
    'Where a path may point depends on the session: the local server refuses anything outside /home/wuying and /tmp, including through symbolic links.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    pathInput,
    {
      name: 'format',
      displayName: 'Format',
      description: 'Text returns the content as a string; Binary returns the exact bytes as a file.',
      kind: 'options',
      default: 'text',
      options: [
        { name: 'Text', value: 'text', description: 'UTF-8 text in the content field' },
        { name: 'Binary', value: 'binary', description: 'The exact bytes as binary data' },
      ],
      schema: { type: 'string', enum: ['text', 'binary'] },
      expected: 'text or binary',
    },
  ],
  outputs: [
    { name: 'path', type: 'string', description: 'The path read.' },
    { name: 'size', type: 'number', description: 'Size in bytes.' },
    { name: 'encoding', type: 'string', description: 'utf-8 (text) or binary.' },
    { name: 'content', type: 'string', description: 'The text (Text format only).', optional: true },
    { name: 'data', type: 'binary', description: 'The bytes (Binary format): n8n binary property, Node-RED Buffer.' },
    { name: 'fileName', type: 'string', description: 'Base name of the path.' },
    { name: 'mimeType', type: 'string', description: 'Content type guessed from the extension.' },
    { name: 'transfer', type: 'string', description: 'tool (`read_file` calls) or context (the file-transfer context).' },
    lastRequestIdOutput,
  ],
});

export const readFile = implementOperation(shape, execute);
