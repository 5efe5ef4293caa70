/**
 * Browser sessions in the local server, over real HTTP with a real Chromium (one launch for the suite): InitBrowser,
 * GetCdpLink and its proxied CDP endpoint driven by playwright-core, page_use_* tools, the loopback-only network, and
 * that deleting the session closes the endpoint and leaves no browser process.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import type { LocalServer } from '../../../local-server/server';
import { startTestServer } from '../../support/local-server';
import { browserProcesses, imageHeader, markerSwitch, PAGE_TITLE, serveTestPage, type TestPage } from '../../support/browser';
import { request, type Json } from '../../support/local-server-wire';
import { waitFor } from '../../support/wait';

function call(server: LocalServer, action: string, form: Record<string, string>): Promise<{ status: number; body: Json }> {
  return request(server, { query: { Action: action }, form: { Authorization: `Bearer ${server.apiKey}`, ...form } });
}

async function createSession(server: LocalServer, imageId: string): Promise<string> {
  const created = await call(server, 'CreateMcpSession', { ImageId: imageId });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return (created.body.Data as Json).SessionId as string;
}

async function tool(server: LocalServer, sessionId: string, name: string, args: Json = {}): Promise<{ text: string; isError: boolean }> {
  const answer = await call(server, 'CallMcpTool', { SessionId: sessionId, Name: name, Args: JSON.stringify(args) });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const data = answer.body.Data as { content: Array<{ text: string }>; isError: boolean };
  return { text: data.content[0]?.text ?? '', isError: data.isError };
}

/** The HTTP status an upgrade request to `wsUrl` gets (101 when it is proxied to a browser). */
function upgradeStatus(wsUrl: string): Promise<number> {
  const url = new URL(wsUrl.replace(/^ws/, 'http'));
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
      timeout: 10_000,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('no answer to the upgrade')));
    req.on('error', reject);
    req.end();
  });
}

describe('local server: browser sessions', function () {
  this.timeout(120_000);
  let server: LocalServer;
  let page: TestPage;

  before(async () => {
    server = await startTestServer();
    page = await serveTestPage();
  });
  after(async () => {
    await server.close();
    await page.close();
  });

  describe('one browser, end to end', () => {
    const marker = markerSwitch();
    let sessionId: string;
    let cdpUrl: string;
    let browser: Browser | undefined;

    before(async () => {
      sessionId = await createSession(server, 'browser_latest');
    });
    after(async () => {
      await browser?.close().catch(() => undefined);
    });

    it('InitBrowser starts a real Chromium in the session and answers its DevTools port', async () => {
      assert.deepEqual(browserProcesses(marker), []);
      const init = await call(server, 'InitBrowser', {
        SessionId: sessionId,
        PersistentPath: '/tmp/agentbay_browser',
        BrowserOption: JSON.stringify({ viewport: { width: 640, height: 480 }, userAgent: 'AgentBayTest/1.0', cmdArgs: [marker] }),
      });
      assert.equal(init.status, 200, JSON.stringify(init.body));
      const port = (init.body.Data as Json).Port;
      assert.ok(typeof port === 'number' && port > 0, `Port: ${String(port)}`);
      assert.ok(browserProcesses(marker).length >= 2, 'bubblewrap and Chromium run with the marker');
    });

    it('refuses a second InitBrowser while the browser runs', async () => {
      const again = await call(server, 'InitBrowser', { SessionId: sessionId, BrowserOption: '{}' });
      assert.equal(again.status, 400);
      assert.equal(again.body.Code, 'InvalidParameter');
      assert.match(String(again.body.Message), /already initialized/);
    });

    it('GetCdpLink gives a ws:// endpoint that playwright-core drives: title, typing into a form, clicking', async () => {
      const link = await call(server, 'GetCdpLink', { SessionId: sessionId });
      cdpUrl = (link.body.Data as Json).Url as string;
      assert.match(cdpUrl, new RegExp(`^ws://127\\.0\\.0\\.1:${new URL(server.url).port}/cdp/[0-9a-f]{48}$`));
      browser = await chromium.connectOverCDP(cdpUrl, { timeout: 30_000 });
      const context = browser.contexts()[0]!;
      const tab = context.pages()[0] ?? (await context.newPage());
      await tab.goto(page.url, { timeout: 30_000 });
      assert.equal(await tab.title(), PAGE_TITLE);
      await tab.fill('#name', 'AgentBay');
      await tab.click('#send');
      await tab.waitForFunction(() => document.getElementById('echo')?.textContent === 'Hello, AgentBay', undefined, { timeout: 10_000 });
      assert.equal(await tab.evaluate(() => navigator.userAgent), 'AgentBayTest/1.0');
      assert.deepEqual(await tab.evaluate(() => [window.innerWidth, window.innerHeight]), [640, 480]);
    });

    it('page_use_navigate loads a page and reports its title; page_use_screenshot returns a PNG of the viewport', async () => {
      const navigated = await tool(server, sessionId, 'page_use_navigate', { url: page.url });
      assert.equal(navigated.isError, false, navigated.text);
      assert.deepEqual(JSON.parse(navigated.text), { url: page.url, title: PAGE_TITLE });
      const shot = await tool(server, sessionId, 'page_use_screenshot', { context_id: 0, full_page: false, quality: 80 });
      assert.match(shot.text, /^data:image\/png;base64,/);
      const png = Buffer.from(shot.text.slice('data:image/png;base64,'.length), 'base64');
      assert.deepEqual(imageHeader(png), { type: 'png', width: 640, height: 480 });
    });

    it('lets the browser reach loopback hosts only: any other host gets the refusing proxy', async () => {
      const hitsBefore = page.hits();
      // 192.0.2.0/24 is TEST-NET-1: without the proxy this would be an unreachable address, not a page.
      const outside = await tool(server, sessionId, 'page_use_navigate', { url: 'http://192.0.2.10/' });
      assert.equal(outside.isError, false, outside.text);
      assert.equal(JSON.parse(outside.text).title, 'Blocked by the local AgentBay server');
      assert.equal(page.hits(), hitsBefore);
    });

    it('answers act, observe and extract (and their async forms) with the documented "not available" tool error', async () => {
      for (const name of ['page_use_act', 'page_use_observe', 'page_use_extract', 'page_use_act_async', 'page_use_get_extract_result']) {
        const answer = await tool(server, sessionId, name, { context_id: 0, instruction: 'x', action: 'x' });
        assert.equal(answer.isError, true, name);
        assert.equal(answer.text, `${name} is not available on the local server: it needs the cloud's language model. Drive the page through the CDP endpoint (GetCdpLink) instead.`);
      }
    });

    it('deleting the session closes the endpoint and leaves no browser process', async () => {
      const connected = browser!;
      let disconnected = false;
      connected.on('disconnected', () => {
        disconnected = true;
      });
      const deleted = await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
      assert.equal(deleted.status, 200);
      await waitFor(() => disconnected, 20_000, 'the CDP connection to close');
      await waitFor(() => browserProcesses(marker).length === 0, 20_000, 'every browser process to exit');
      assert.equal(await upgradeStatus(cdpUrl), 404, 'the endpoint is gone with the session');
      browser = undefined;
    });
  });

  describe('bad input, without starting a browser', () => {
    it('refuses InitBrowser and GetCdpLink on a session whose image has no browser', async () => {
      const sessionId = await createSession(server, 'code_latest');
      const init = await call(server, 'InitBrowser', { SessionId: sessionId, BrowserOption: '{}' });
      assert.equal(init.status, 400);
      assert.match(String(init.body.Message), /image "code_latest", which has no browser; create the session from one of: browser_latest, linux_latest/);
      const link = await call(server, 'GetCdpLink', { SessionId: sessionId });
      assert.equal(link.status, 400);
      await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
    });

    it('answers page tools without an initialized browser with a tool error, and the endpoint with 409', async () => {
      const sessionId = await createSession(server, 'browser_latest');
      const navigated = await tool(server, sessionId, 'page_use_navigate', { url: 'about:blank' });
      assert.deepEqual(navigated, { text: 'Browser is not initialized: call InitBrowser first', isError: true });
      const link = await call(server, 'GetCdpLink', { SessionId: sessionId });
      assert.equal(await upgradeStatus((link.body.Data as Json).Url as string), 409);
      assert.equal(await upgradeStatus(`ws://${server.endpoint}/cdp/${'0'.repeat(48)}`), 404);
      await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
    });

    it('refuses BrowserOption values that would undo the network policy or are not the SDK\'s types', async () => {
      const sessionId = await createSession(server, 'browser_latest');
      const cases: Array<[Json, RegExp]> = [
        [{ cmdArgs: ['--proxy-server=http://10.0.0.1:3128'] }, /cmdArgs may not set --proxy-server/],
        [{ cmdArgs: ['--remote-debugging-port=9222'] }, /cmdArgs may not set --remote-debugging-port/],
        [{ proxies: [{ type: 'custom', server: 'http://10.0.0.1:3128 --x' }] }, /a proxy server is host:port/],
        [{ proxies: [{ type: 'wuying', strategy: 'polling' }] }, /the cloud's own/],
        [{ viewport: { width: 'wide', height: 10 } }, /Invalid parameter BrowserOption/],
      ];
      for (const [option, message] of cases) {
        const init = await call(server, 'InitBrowser', { SessionId: sessionId, BrowserOption: JSON.stringify(option) });
        assert.equal(init.status, 400, JSON.stringify(option));
        assert.match(String(init.body.Message), message);
      }
      await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
    });
  });
});
