import { AgentBayError } from '../../client/errors';
import { checkContextName } from '../context';
import { contextJson, contextOutputs, failUnlessSuccessful } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';
import { str } from '../session-api';

export const updateContext = defineOperation({
  id: 'updateContext',
  displayName: 'Update Context',
  summary: 'Renames a persistent context.',
  details: [
    'Sends ModifyContext with the context\'s ID and its new name (the SDK\'s `context.update`). A name another context has fails with `InvalidContext.NameExists`.',
    'When the renamed context is the one on the message, the message carries the new name.',
  ].join('\n\n'),
  session: 'none',
  context: 'required',
  parameters: [
    {
      name: 'newName',
      displayName: 'New Name',
      description: 'The name the context gets.',
      kind: 'string',
      default: '',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 256 },
      expected: 'a name of 1 to 256 characters without control characters',
    },
  ],
  outputs: [...contextOutputs, requestIdOutput],
  async execute(context, input) {
    const target = context.contextRef;
    const name = checkContextName(input.newName.trim(), 'newName', 'New Name (newName)');
    let requestId: string;
    try {
      const envelope = await context.client.call('ModifyContext', { Id: target.contextId, Name: name }, { signal: context.signal });
      failUnlessSuccessful(envelope, 'Unknown error');
      requestId = str(envelope.RequestId);
    } catch (error) {
      if (!(error instanceof AgentBayError) || error.code === 'Aborted') throw error;
      throw new AgentBayError(`Failed to update context ${target.contextId}: ${error.message}`, {
        code: error.code,
        requestId: error.requestId,
        httpStatus: error.httpStatus,
      });
    }
    const renamed = { ...target, name };
    const carried = context.carriedContext?.contextId === target.contextId;
    return { json: { ...contextJson(renamed), requestId }, context: carried ? renamed : undefined };
  },
});
