import { AgentBayError } from '../../client/errors';
import { failUnlessSuccessful } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';
import { str } from '../session-api';

export const deleteContext = defineOperation({
  id: 'deleteContext',
  displayName: 'Delete Context',
  summary: 'Deletes a persistent context and all its files.',
  details: [
    'Sends DeleteContext (the SDK\'s `context.delete`). The context\'s files go with it.',
    'When the deleted context is the one on the message, it is removed from the message.',
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [],
  outputs: [
    { name: 'deleted', type: 'boolean', description: 'Always true (a failure is an error).' },
    { name: 'contextId', type: 'string', description: 'ID of the deleted context.' },
    requestIdOutput,
  ],
  async execute(context) {
    const target = context.contextRef;
    let requestId: string;
    try {
      const envelope = await context.client.call('DeleteContext', { Id: target.contextId }, { signal: context.signal });
      failUnlessSuccessful(envelope, 'Unknown error');
      requestId = str(envelope.RequestId);
    } catch (error) {
      if (!(error instanceof AgentBayError) || error.code === 'Aborted') throw error;
      throw new AgentBayError(`Failed to delete context ${target.contextId}: ${error.message}`, {
        code: error.code,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
      });
    }
    const carried = context.carriedContext?.contextId === target.contextId;
    return { json: { deleted: true, contextId: target.contextId, requestId }, context: carried ? null : undefined };
  },
});
