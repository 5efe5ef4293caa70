import { checkContextName, fetchContext } from '../context';
import { contextJson, contextOutputs } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';

export const createContext = defineOperation({
  id: 'createContext',
  displayName: 'Create Context',
  summary: 'Creates a persistent context with a name and puts it on the message.',
  details: [
    'Sends GetContext with `AllowCreate`, as the SDK\'s `context.create(name)` does: when a context with this name already exists, that context is returned instead of an error.',
    'The context goes on the message for the nodes that follow.',
  ].join('\n\n'),
  session: 'none',
  parameters: [
    {
      name: 'contextName',
      displayName: 'Context Name',
      description: 'Name of the new context. By default the name a Generate Context Name node before this one made.',
      kind: 'string',
      default: '',
      required: true,
      placeholder: 'my-workspace',
      schema: { type: 'string', minLength: 1, maxLength: 256 },
      expected: 'a name of 1 to 256 characters without control characters',
    },
  ],
  outputs: [...contextOutputs, requestIdOutput],
  async execute(context, input) {
    const name = checkContextName(input.contextName.trim(), 'contextName', 'Context Name (contextName)');
    const fetched = await fetchContext(context.client, { name, allowCreate: true }, { signal: context.signal });
    return { json: { ...contextJson(fetched.context), requestId: fetched.requestId }, context: fetched.context };
  },
});
