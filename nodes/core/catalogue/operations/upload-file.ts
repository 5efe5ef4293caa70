import { defineOperation } from '../define';
import { lastRequestIdOutput } from '../common-parameters';
import { baseName, guessMimeType } from './file-paths';
import {
  checkTransferSize, maxSizeParameter, syncTimeoutParameter, transferLimits, transferPath, transferPathParameter, uploadThroughContext,
  DEFAULT_TRANSFER_MAX_MB,
} from './file-transfer';

const pathInput = transferPathParameter('path', 'Where the file goes in the session; missing parent directories are created, an existing file is replaced.');

const contentInput = {
  name: 'content',
  displayName: 'Content',
  description: 'The bytes to upload: n8n binary data (a binary property of the item), Node-RED a Buffer (a string is uploaded as UTF-8).',
  kind: 'data',
  default: '',
  required: true,
  binaryByDefault: true,
  nodeRedSource: { type: 'msg', value: 'payload' },
  expected: 'binary data (n8n: a binary property of the item; Node-RED: a Buffer) or text',
} as const;

export const uploadFile = defineOperation({
  id: 'uploadFile',
  displayName: 'Upload File',
  summary: 'Uploads a file from the flow into the session through the session’s file-transfer context.',
  details: [
    'Moves the bytes the way the official SDK’s file transfer does: the session’s file-transfer context (`GetAndLoadInternalContext`), a presigned upload URL (`GetContextFileUploadUrl`) the bytes are PUT to, then a context sync into the session (`SyncContext`, mode `download`), awaited with progress (`waiting for context sync (3/81)`). Afterwards the file is deleted from the context, as the SDK does. This works against the cloud for binary files of any kind, where `write_file` only takes text.',
    'The presigned URL is fetched without the API key (the URL is its own credential) and through the connection’s proxy settings.',
    'The service syncs only inside the context’s folder in the session (`/tmp/file_transfer` on the local server). A path elsewhere is uploaded to a staging file in that folder and moved into place with `move_file`.',
    `**Path** must be absolute and inside /home/wuying or /tmp. The file is held in memory: at most **Max Size** MiB (default ${DEFAULT_TRANSFER_MAX_MB}, at most 1024). Both are checked before any request.`,
    'n8n: **Content From Binary** is on by default: set **Input Binary Field** (default `data`, what Read File, Download File and HTTP Request give). Node-RED: a Buffer in `msg.payload`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [pathInput, contentInput, maxSizeParameter, syncTimeoutParameter],
  outputs: [
    { name: 'path', type: 'string', description: 'The session path written.' },
    { name: 'size', type: 'number', description: 'Bytes uploaded.' },
    { name: 'fileName', type: 'string', description: 'Base name of the path.' },
    { name: 'mimeType', type: 'string', description: 'Content type guessed from the extension.' },
    { name: 'contextId', type: 'string', description: 'The session’s file-transfer context.' },
    lastRequestIdOutput,
  ],
  async execute(context, input) {
    const path = transferPath(input.path, pathInput);
    const limits = transferLimits(input);
    const data = Buffer.isBuffer(input.content) ? input.content : Buffer.from(input.content, 'utf8');
    checkTransferSize(data.length, limits, contentInput);
    const outcome = await uploadThroughContext(context, path, data, limits);
    return {
      json: {
        path,
        size: data.length,
        fileName: baseName(path),
        mimeType: guessMimeType(path),
        contextId: outcome.contextId,
        requestId: outcome.requestId,
      },
    };
  },
});
