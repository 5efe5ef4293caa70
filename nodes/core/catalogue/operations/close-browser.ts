import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { callBrowserTool } from './browser-agent';

export const closeBrowser = defineOperation({
  id: 'closeBrowser',
  displayName: 'Close Browser',
  summary: 'Closes the session’s browser; the session keeps running.',
  details: [
    'Calls the browser agent’s `page_use_close_session` tool, as the SDK’s `browser.agent.close()` does. **Initialize Browser** can start a new one afterwards. Deleting the session closes its browser too, so a flow that ends with Delete Session does not need this node.',
    'A browser that is not running is an error.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'closed', type: 'boolean', description: 'Always true (a failure fails the node).' },
    { name: 'result', type: 'string', description: 'The tool’s answer as text.' },
    requestIdOutput,
  ],
  async execute(context) {
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_close_session', {}, 'Failed to close the browser', context.signal);
    return { json: { closed: true, result: answer.text, requestId: answer.requestId } };
  },
});
