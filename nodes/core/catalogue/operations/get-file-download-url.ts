/** The URL is presigned (it carries no API key) and is only returned, never logged. */
import { contextFilePathParameter, contextFileUrlOutputs } from '../context-fields';
import { defineOperation } from '../define';
import { asRecord, str } from '../session-api';

export const getFileDownloadUrl = defineOperation({
  id: 'getFileDownloadUrl',
  displayName: 'Get File Download URL',
  summary: 'Gets a presigned URL to download one file of a persistent context with an HTTP GET.',
  details: [
    'Sends GetContextFileDownloadUrl (the SDK\'s `context.getFileDownloadUrl`). A file that is not in the context fails with `InvalidContextFile.NotFound`.',
    'The URL carries no API key, but anyone holding it can read the file until it expires: treat it as a secret.',
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [contextFilePathParameter('The context file to download, named by its absolute session path.')],
  outputs: contextFileUrlOutputs,
  async execute(context, input) {
    const contextId = context.contextRef.contextId;
    const envelope = await context.client.call('GetContextFileDownloadUrl', { ContextId: contextId, FilePath: input.filePath }, { signal: context.signal });
    const data = asRecord(envelope.Data);
    return {
      json: { url: str(data.Url), expireTime: Number(data.ExpireTime) || 0, contextId, filePath: input.filePath, requestId: str(envelope.RequestId) },
    };
  },
});
