import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { asRecord, str } from '../session-api';
import { sessionCallError, tryParseJson } from './session-helpers';

export const getBrowserEndpoint = defineOperation({
  id: 'getBrowserEndpoint',
  displayName: 'Get Browser Endpoint',
  summary: 'Returns the Chrome DevTools Protocol (CDP) URL of the session’s browser, for Playwright or Puppeteer.',
  details: [
    'Calls GetCdpLink, as the SDK’s `session.browser.getEndpointUrl()` does. Connect to the `url` with Playwright (`chromium.connectOverCDP(url)`) or Puppeteer (`puppeteer.connect({ browserWSEndpoint: url })`): in an n8n Code node, a Node-RED function node, or a Playwright/Puppeteer community node. Start the browser first with **Initialize Browser**.',
    'The URL works while the session lives; anyone who has it can drive the browser, so treat it like a password.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'url', type: 'string', description: 'The CDP WebSocket URL (ws:// or wss://).' },
    requestIdOutput,
  ],
  async execute(context) {
    const sessionId = context.session.sessionId;
    let envelope;
    try {
      envelope = await context.client.call('GetCdpLink', { SessionId: sessionId }, { signal: context.signal });
    } catch (error) {
      throw sessionCallError(error, sessionId, 'Failed to get CDP link: ');
    }
    const requestId = str(envelope.RequestId);
    const data = asRecord(typeof envelope.Data === 'string' ? tryParseJson(envelope.Data)?.value : envelope.Data);
    const url = str(data.Url) || str(data.url);
    if (!url) throw new AgentBayError('Failed to get CDP link: the response carries no Url', { code: 'InvalidResponse', requestId });
    return { json: { url, requestId } };
  },
});
