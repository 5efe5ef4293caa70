import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { asRecord, str } from '../session-api';
import { BROWSER_DETAILS_NOTE, callBrowserTool, FIRST_PAGE, LLM_NOTE, useVisionParameter } from './browser-agent';
import { tryParseJson } from './session-helpers';

/** At most this many observations are returned (a hostile answer could list millions). */
const MAX_OBSERVATIONS = 500;

export const observePage = defineOperation({
  id: 'observePage',
  displayName: 'Observe Page',
  summary: 'Finds the elements of the page that match a plain-language description, with the action each suggests.',
  details: [
    'Calls the browser agent’s `page_use_observe` tool, as the SDK’s `browser.agent.observe()` does, on the browser’s first page. Each observation has a CSS `selector`, a `description`, a suggested `method` (e.g. click) and its `arguments`.',
    LLM_NOTE,
    BROWSER_DETAILS_NOTE,
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'instruction',
      displayName: 'Instruction',
      description: 'What to look for, in plain language.',
      kind: 'text',
      default: '',
      required: true,
      placeholder: 'Find the search box',
      schema: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' },
      expected: 'an instruction such as "Find the search box"',
    },
    {
      name: 'selector',
      displayName: 'Selector',
      description: 'Limit the search to the part of the page this CSS selector matches.',
      kind: 'string',
      default: '',
      advanced: true,
      schema: { type: 'string', maxLength: 1000 },
      expected: 'a CSS selector, or empty',
    },
    useVisionParameter,
  ],
  outputs: [
    { name: 'observations', type: 'object[]', description: 'The matches: {selector, description, method, arguments}.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const args: Record<string, unknown> = { ...FIRST_PAGE, instruction: input.instruction };
    const selector = str(input.selector).trim();
    if (selector) args.selector = selector;
    if (input.useVision) args.use_vision = true;
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_observe', args, 'Observe failed', context.signal);
    const parsed = tryParseJson(answer.text)?.value;
    if (!Array.isArray(parsed)) {
      throw new AgentBayError('Observe failed: the answer is not a JSON array of observations', { code: 'InvalidResponse', requestId: answer.requestId });
    }
    const observations = parsed.slice(0, MAX_OBSERVATIONS).map((item) => {
      const record = asRecord(item);
      const rawArguments = record.arguments;
      // The SDK parses `arguments` when it is a JSON string and keeps it as it is otherwise.
      const parsedArguments = typeof rawArguments === 'string' ? tryParseJson(rawArguments)?.value ?? rawArguments : rawArguments;
      return { selector: str(record.selector), description: str(record.description), method: str(record.method), arguments: parsedArguments ?? null };
    });
    return { json: { observations, requestId: answer.requestId } };
  },
});
