/**
 * Get Browser Endpoint in the real Node-RED runtime: Create Session → Initialize Browser → Get Browser Endpoint, then
 * playwright-core connects to the URL, reads the title, types into the form and clicks; deleting the session closes
 * the connection and leaves no browser process.
 */
import { strict as assert } from 'node:assert';
import { chromium } from 'playwright-core';
import { waitFor } from '../../../../support/wait';
import { browserProcesses, markerSwitch, PAGE_TITLE } from '../../../../support/browser';
import { CONFIG_ID, loadFlow, nextMessage, helper, useNodeRedRuntime } from '../../../../support/node-red';
import { runCore, useBrowserFixture } from './browser-fixture';

describe('Get Browser Endpoint', function () {
  this.timeout(120_000);
  const fixture = useBrowserFixture();
  useNodeRedRuntime();

  it('Node-RED: gives a CDP URL that playwright-core drives; the session\'s deletion closes it', async () => {
    const marker = markerSwitch();
    await loadFlow(fixture.server, [
      { id: 'create', type: 'agentbay-create-session', server: CONFIG_ID, imageId: 'browser_latest', imageIdType: 'str', deleteOnStop: false, wires: [['init']] },
      { id: 'init', type: 'agentbay-initialize-browser', server: CONFIG_ID, extraArgs: JSON.stringify([marker]), extraArgsType: 'json', wires: [['endpoint']] },
      { id: 'endpoint', type: 'agentbay-get-browser-endpoint', server: CONFIG_ID, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const received = nextMessage('out', 60_000);
    helper.getNode('create').receive({ payload: 'go' });
    const msg = await received;
    const sessionId = String(msg.agentbay?.session?.sessionId);
    fixture.sessions.track(sessionId);
    const url = String((msg.payload as Record<string, unknown>).url);
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/cdp\/[0-9a-f]{48}$/);

    const browser = await chromium.connectOverCDP(url, { timeout: 30_000 });
    let disconnected = false;
    browser.on('disconnected', () => {
      disconnected = true;
    });
    const tab = browser.contexts()[0]!.pages()[0]!;
    await tab.goto(fixture.page.url, { timeout: 30_000 });
    assert.equal(await tab.title(), PAGE_TITLE);
    await tab.fill('#name', 'Node-RED');
    await tab.click('#send');
    await tab.waitForFunction(() => document.getElementById('echo')?.textContent === 'Hello, Node-RED', undefined, { timeout: 10_000 });

    assert.ok(browserProcesses(marker).length > 0);
    await runCore(fixture.client, 'deleteSession', {}, sessionId);
    fixture.sessions.forget(sessionId);
    await waitFor(() => disconnected, 20_000, 'the CDP connection to close');
    await waitFor(() => browserProcesses(marker).length === 0, 20_000, 'the browser processes to exit');
  });

  it('fails on a deleted session with the session named', async () => {
    const session = await fixture.session();
    await runCore(fixture.client, 'deleteSession', {}, session);
    fixture.sessions.forget(session.sessionId);
    await assert.rejects(runCore(fixture.client, 'getBrowserEndpoint', {}, session), new RegExp(`Session ${session.sessionId} not found`));
  });
});
