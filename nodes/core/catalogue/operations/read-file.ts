import { describeOperation, implementOperation, type ContextOfShape, type InputOfShape } from '../define';
import { lastRequestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { isBase64 } from '../base64';
import { fetchFileInfo } from './get-file-info';
import { baseName, CHUNK_SIZE, guessMimeType, pathParameter, requirePath, sessionTool } from './file-paths';

/** The binary key of the file: n8n's conventional `data` property, Node-RED's `msg.payload.data`. */
export const READ_FILE_BINARY_KEY = 'data';

const pathInput = pathParameter('path', 'Path', 'The file to read.');

function decodeChunk(text: string, path: string, requestId: string): Buffer {
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
  const chunkCount = Math.ceil(size / CHUNK_SIZE);
  let requestId = infoRequestId;
  const texts: string[] = [];
  const buffers: Buffer[] = [];
  for (let index = 0; index < chunkCount; index++) {
    if (chunkCount > 1) context.progress(`reading ${index + 1}/${chunkCount} chunks`);
    const offset = index * CHUNK_SIZE;
    const length = Math.min(CHUNK_SIZE, size - offset);
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

  const json = { path, fileName, mimeType, encoding: binary ? 'binary' : 'utf-8', requestId };
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
    'Looks the file up first (`get_file_info`), then reads it in chunks of 61440 bytes, as the TS SDK does; the node shows its progress (`reading 3/171 chunks`) for large files. An empty file gives empty content without a read. A directory fails with `Path does not exist or is a directory: <path>`; a missing file with the tool’s own message.',
    '**Text** puts the content in `content` (UTF-8). **Binary** reads the bytes exactly (base64 on the wire) and returns them as a file: in n8n the binary property `data` (the name n8n nodes expect by default, so Write File and other binary nodes pick it up unchanged), in Node-RED a Buffer at `msg.payload.data`. `fileName` is the base name of the path; `mimeType` is guessed from the extension (application/octet-stream when unknown).',
    'Where a path may point depends on the session: the local server refuses anything outside /home/wuying and /tmp, including through symbolic links.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: false,
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
    lastRequestIdOutput,
  ],
});

export const readFile = implementOperation(shape, execute);
