import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { BROWSER_DETAILS_NOTE, callBrowserTool, FIRST_PAGE, LLM_NOTE, useVisionParameter } from './browser-agent';

export const actOnPage = defineOperation({
  id: 'actOnPage',
  displayName: 'Act on Page',
  summary: 'Performs an action on the page described in plain language, e.g. “click the Sign in button”.',
  details: [
    'Calls the browser agent’s `page_use_act` tool, as the SDK’s `browser.agent.act()` does, on the browser’s first page. **Variables** fill `%name%` placeholders in the action, so secrets stay out of the instruction text.',
    LLM_NOTE,
    BROWSER_DETAILS_NOTE,
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'action',
      displayName: 'Action',
      description: 'What to do on the page, in plain language.',
      kind: 'text',
      default: '',
      required: true,
      placeholder: 'Click the Sign in button',
      schema: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' },
      expected: 'an instruction such as "Click the Sign in button"',
    },
    {
      name: 'variables',
      displayName: 'Variables',
      description: 'Values for %name% placeholders in the action.',
      kind: 'stringMap',
      default: {},
      advanced: true,
      schema: { type: 'object', additionalProperties: { type: 'string' }, maxProperties: 64 },
      expected: 'an object of variable names to string values',
    },
    useVisionParameter,
  ],
  outputs: [
    { name: 'success', type: 'boolean', description: 'Always true (a failed action fails the node).' },
    { name: 'message', type: 'string', description: 'What the agent reports it did.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const args: Record<string, unknown> = { ...FIRST_PAGE, action: input.action };
    if (input.variables && Object.keys(input.variables).length > 0) args.variables = input.variables;
    if (input.useVision) args.use_vision = true;
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_act', args, 'Act failed', context.signal);
    return { json: { success: true, message: answer.text, requestId: answer.requestId } };
  },
});
