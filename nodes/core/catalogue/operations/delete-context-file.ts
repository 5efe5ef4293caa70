import { contextFilePathParameter, failUnlessSuccessful } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';
import { str } from '../session-api';

export const deleteContextFile = defineOperation({
  id: 'deleteContextFile',
  displayName: 'Delete Context File',
  summary: 'Deletes one file from a persistent context.',
  details: 'Sends DeleteContextFile (the SDK\'s `context.deleteFile`). A file that is not in the context fails with `InvalidContextFile.NotFound`.',
  session: 'none',
  context: 'required',
  parameters: [contextFilePathParameter('The context file to delete, named by its absolute session path.')],
  outputs: [
    { name: 'deleted', type: 'boolean', description: 'Always true (a failure is an error).' },
    { name: 'contextId', type: 'string', description: 'ID of the context.' },
    { name: 'filePath', type: 'string', description: 'The deleted file.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const contextId = context.contextRef.contextId;
    const envelope = await context.client.call('DeleteContextFile', { ContextId: contextId, FilePath: input.filePath }, { signal: context.signal });
    failUnlessSuccessful(envelope, 'Failed to delete file');
    return { json: { deleted: true, contextId, filePath: input.filePath, requestId: str(envelope.RequestId) } };
  },
});
