import { InputValidationError } from '../../client/errors';
import { checkContextName, fetchContext, isContextId } from '../context';
import { contextJson, contextOutputs } from '../context-fields';
import { requestIdOutput } from '../common-parameters';
import { defineOperation } from '../define';

const NAME_OR_ID = 'either Context Name or Context ID, not both';

export const getContext = defineOperation({
  id: 'getContext',
  displayName: 'Get Context',
  summary: 'Looks up a persistent context by name or ID, optionally creating it, and puts it on the message.',
  details: [
    'Fetches the context with GetContext. Give its **Context Name** or its **Context ID**, not both. With **Create if Missing**, a name that does not exist yet is created (as the SDK\'s `context.get(name, true)`); this is the usual start of a flow that keeps a workspace across runs: Generate Context Name or a fixed name, then Get Context, then Create Session syncing that context.',
    'The context goes on the message (Node-RED `msg.agentbay.context`, n8n `context`), so the context nodes after it work on it without wiring its ID.',
    'An unknown context fails with `Failed to get context <name>: [InvalidContext.NotFound] …`.',
  ].join('\n\n'),
  session: 'none',
  parameters: [
    {
      name: 'contextName',
      displayName: 'Context Name',
      description: 'Name of the context. By default the name a Generate Context Name node before this one made. Leave empty to look the context up by ID.',
      kind: 'string',
      default: '',
      previousResultField: 'contextName',
      placeholder: 'my-workspace',
      schema: { type: 'string', maxLength: 256 },
      expected: 'a name of 1 to 256 characters without control characters',
    },
    {
      name: 'contextId',
      displayName: 'Context ID',
      description: 'ID of the context (SdkCtx-…). Leave empty to look it up by name.',
      kind: 'string',
      default: '',
      placeholder: 'SdkCtx-…',
      schema: { type: 'string', maxLength: 128 },
      expected: 'a context ID such as SdkCtx-04bdwfj7u22a1s30g',
    },
    {
      name: 'createIfMissing',
      displayName: 'Create if Missing',
      description: 'Whether to create the context when no context has this name (only with a name).',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
  ],
  outputs: [...contextOutputs, requestIdOutput],
  async execute(context, input) {
    const name = (input.contextName ?? '').trim();
    const contextId = (input.contextId ?? '').trim();
    if (name !== '' && contextId !== '') {
      throw new InputValidationError('contextName', NAME_OR_ID, `Context Name (contextName) and Context ID (contextId) are both set: give ${NAME_OR_ID}`);
    }
    if (name === '' && contextId === '') {
      throw new InputValidationError('contextName', NAME_OR_ID, `Context Name (contextName) or Context ID (contextId) is required: give ${NAME_OR_ID}`);
    }
    if (contextId !== '' && !isContextId(contextId)) {
      throw new InputValidationError('contextId', 'a context ID such as SdkCtx-04bdwfj7u22a1s30g', `Context ID (contextId) must be a context ID such as SdkCtx-04bdwfj7u22a1s30g, got ${JSON.stringify(contextId.slice(0, 80))}`);
    }
    if (contextId !== '' && input.createIfMissing === true) {
      throw new InputValidationError('createIfMissing', 'off when looking up by Context ID', 'Create if Missing (createIfMissing) works only with a Context Name: a context cannot be created from an ID');
    }
    const by = contextId !== '' ? { contextId } : { name: checkContextName(name, 'contextName', 'Context Name (contextName)'), allowCreate: input.createIfMissing === true };
    const fetched = await fetchContext(context.client, by, { signal: context.signal });
    return { json: { ...contextJson(fetched.context), requestId: fetched.requestId }, context: fetched.context };
  },
});
