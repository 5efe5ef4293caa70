/**
 * Initialize Browser through the real n8n execute path: its fields become the BrowserOption the local server applies
 * (checked from inside the page with playwright-core), a second initialization and a browserless image are errors,
 * and a half-given viewport is refused before any request.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError } from 'n8n-workflow';
import { chromium } from 'playwright-core';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { connectionFor } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { browserProcesses, markerSwitch } from '../../../../support/browser';
import { refusedBeforeAnyRequest, runCore, useBrowserFixture } from './browser-fixture';

describe('Initialize Browser', function () {
  this.timeout(120_000);
  const fixture = useBrowserFixture();

  it('n8n: starts the browser with the viewport, fingerprint system, locale and extra arguments given', async () => {
    const session = await fixture.session();
    const marker = markerSwitch();
    const { output } = await executeN8nNode('initializeBrowser', {
      items: [{ json: { session: { ...session } } }],
      credentials: connectionFor(fixture.server),
      parameters: { viewportWidth: 500, viewportHeight: 400, fingerprintOs: 'windows', locale: 'de-DE', options: { extraArgs: [marker] } },
    });
    const json = output[0]![0]!.json;
    assert.equal(json.initialized, true);
    assert.ok(typeof json.port === 'number' && json.port > 0);
    assert.ok(browserProcesses(marker).length > 0, 'a Chromium with the extra argument runs');

    const { output: endpoint } = await runCore(fixture.client, 'getBrowserEndpoint', {}, session);
    const browser = await chromium.connectOverCDP(String(endpoint.json.url), { timeout: 30_000 });
    try {
      const tab = browser.contexts()[0]!.pages()[0]!;
      await tab.goto(fixture.page.url, { timeout: 30_000 });
      const seen = await tab.evaluate(() => ({ width: innerWidth, height: innerHeight, agent: navigator.userAgent, language: navigator.language }));
      assert.equal(seen.width, 500);
      assert.equal(seen.height, 400);
      assert.match(seen.agent, /^Mozilla\/5\.0 \(Windows NT 10\.0; Win64; x64\) .* Chrome\/\d+\.0\.0\.0 Safari\/537\.36$/);
      assert.equal(seen.language, 'de-DE');
    } finally {
      await browser.close();
    }

    await assert.rejects(
      executeN8nNode('initializeBrowser', { items: [{ json: { session: { ...session } } }], credentials: connectionFor(fixture.server) }),
      (error: unknown) => {
        assert.ok(error instanceof NodeApiError, String(error));
        assert.match(error.message, /^Failed to initialize browser: .*already initialized/);
        return true;
      },
    );
  });

  it('fails on a session whose image has no browser, naming the image', async () => {
    const session = await fixture.session('code_latest');
    await assert.rejects(runCore(fixture.client, 'initializeBrowser', {}, session), (error: unknown) => {
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /image "code_latest", which has no browser/);
      return true;
    });
  });

  it('refuses a viewport with one side only, and a non-object Browser Option, before any request', async () => {
    const half = await refusedBeforeAnyRequest('initializeBrowser', { viewportWidth: 800 });
    assert.ok(half instanceof InputValidationError);
    assert.equal(half.field, 'viewportHeight');
    const tiny = await refusedBeforeAnyRequest('initializeBrowser', { viewportWidth: 20, viewportHeight: 20 });
    assert.match(tiny.message, /Viewport Width: expected an integer from 100 to 7680/);
    const option = await refusedBeforeAnyRequest('initializeBrowser', { browserOption: '[1,2]' });
    assert.ok(option instanceof InputValidationError);
    assert.equal(option.field, 'browserOption');
  });
});
