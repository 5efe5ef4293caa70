import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { asRecord, str } from '../session-api';
import { BROWSER_DETAILS_NOTE, callBrowserTool } from './browser-agent';
import { tryParseJson } from './session-helpers';

export const navigatePage = defineOperation({
  id: 'navigatePage',
  displayName: 'Navigate Page',
  summary: 'Opens a URL in the session’s browser and waits for the page to load.',
  details: [
    'Calls the browser agent’s `page_use_navigate` tool, as the SDK’s `browser.agent.navigate()` does, on the browser’s first page.',
    BROWSER_DETAILS_NOTE,
    'The local AgentBay server reaches only loopback hosts by default (see its README); a page elsewhere shows “Blocked by the local AgentBay server” as its title.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'url',
      displayName: 'URL',
      description: 'The page to open, e.g. https://example.com.',
      kind: 'string',
      default: '',
      required: true,
      placeholder: 'https://example.com',
      schema: { type: 'string', minLength: 1, maxLength: 8192, pattern: '^[A-Za-z][A-Za-z0-9+.-]*:' },
      expected: 'an absolute URL such as https://example.com',
    },
  ],
  outputs: [
    { name: 'url', type: 'string', description: 'The URL asked for.' },
    { name: 'result', type: 'string', description: 'The tool’s answer as text.' },
    { name: 'finalUrl', type: 'string', description: 'The page’s URL after loading (redirects followed), when the service reports it.', optional: true },
    { name: 'title', type: 'string', description: 'The page’s title, when the service reports it.', optional: true },
    requestIdOutput,
  ],
  async execute(context, input) {
    const url = input.url.trim();
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_navigate', { url }, 'Navigation failed', context.signal);
    const page = asRecord(tryParseJson(answer.text)?.value);
    const finalUrl = str(page.url);
    const title = typeof page.title === 'string' ? page.title : undefined;
    return {
      json: {
        url,
        result: answer.text,
        ...(finalUrl ? { finalUrl } : {}),
        ...(title !== undefined ? { title } : {}),
        requestId: answer.requestId,
      },
    };
  },
});
