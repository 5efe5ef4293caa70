/** The URL is presigned (it carries no API key) and is only returned, never logged. */
import { contextFilePathParameter, contextFileUrlOutputs } from '../context-fields';
import { defineOperation } from '../define';
import { asRecord, str } from '../session-api';

export const getFileUploadUrl = defineOperation({
  id: 'getFileUploadUrl',
  displayName: 'Get File Upload URL',
  summary: 'Gets a presigned URL to upload one file into a persistent context with an HTTP PUT.',
  details: [
    'Sends GetContextFileUploadUrl (the SDK\'s `context.getFileUploadUrl`). PUT the file\'s bytes to the URL (e.g. with an HTTP Request node); a session syncing the context downloads it to that path.',
    'The URL carries no API key, but anyone holding it can write that file until it expires: treat it as a secret.',
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [contextFilePathParameter('The context file to upload, named by its absolute session path.')],
  outputs: contextFileUrlOutputs,
  async execute(context, input) {
    const contextId = context.contextRef.contextId;
    const envelope = await context.client.call('GetContextFileUploadUrl', { ContextId: contextId, FilePath: input.filePath }, { signal: context.signal });
    const data = asRecord(envelope.Data);
    return {
      json: { url: str(data.Url), expireTime: Number(data.ExpireTime) || 0, contextId, filePath: input.filePath, requestId: str(envelope.RequestId) },
    };
  },
});
