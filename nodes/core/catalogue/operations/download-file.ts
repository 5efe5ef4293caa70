import { defineOperation } from '../define';
import { lastRequestIdOutput } from '../common-parameters';
import { baseName, guessMimeType } from './file-paths';
import {
  downloadThroughContext, maxSizeParameter, syncTimeoutParameter, transferLimits, transferPath, transferPathParameter,
  DEFAULT_TRANSFER_MAX_MB,
} from './file-transfer';

/** The binary key of the file, as Read File's: n8n's conventional `data`, Node-RED's `msg.payload.data`. */
export const DOWNLOAD_FILE_BINARY_KEY = 'data';

const pathInput = transferPathParameter('path', 'The file to download from the session.');

export const downloadFile = defineOperation({
  id: 'downloadFile',
  displayName: 'Download File',
  summary: 'Downloads a file from the session into the flow through the session’s file-transfer context.',
  details: [
    'The reverse of Upload File, as the official SDK’s file transfer: a context sync out of the session (`SyncContext`, mode `upload`), awaited with progress, then a presigned download URL (`GetContextFileDownloadUrl`) whose bytes are fetched without the API key, through the connection’s proxy settings. Afterwards the file is deleted from the context.',
    'The service syncs only inside the context’s folder in the session (`/tmp/file_transfer` on the local server). A file elsewhere is moved into that folder for the sync and moved back right after it (while the sync runs, the path is empty).',
    `**Path** must be absolute and inside /home/wuying or /tmp (checked before any request). A file larger than **Max Size** MiB (default ${DEFAULT_TRANSFER_MAX_MB}, at most 1024) fails before it is transferred: the bytes are held in memory.`,
    'The file comes out as Read File’s binary format: n8n the binary property `data`, Node-RED a Buffer at `msg.payload.data`, with `size`, `fileName` and `mimeType` (guessed from the extension).',
  ].join('\n\n'),
  session: 'required',
  parameters: [pathInput, maxSizeParameter, syncTimeoutParameter],
  outputs: [
    { name: 'path', type: 'string', description: 'The session path read.' },
    { name: 'size', type: 'number', description: 'Bytes downloaded.' },
    { name: 'data', type: 'binary', description: 'The bytes: n8n binary property, Node-RED Buffer.' },
    { name: 'fileName', type: 'string', description: 'Base name of the path.' },
    { name: 'mimeType', type: 'string', description: 'Content type guessed from the extension.' },
    { name: 'contextId', type: 'string', description: 'The session’s file-transfer context.' },
    lastRequestIdOutput,
  ],
  async execute(context, input) {
    const path = transferPath(input.path, pathInput);
    const limits = transferLimits(input);
    const outcome = await downloadThroughContext(context, path, limits);
    const fileName = baseName(path);
    const mimeType = guessMimeType(path);
    return {
      json: { path, size: outcome.data.length, fileName, mimeType, contextId: outcome.contextId, requestId: outcome.requestId },
      binary: [{ key: DOWNLOAD_FILE_BINARY_KEY, data: outcome.data, mimeType, fileName }],
    };
  },
});
