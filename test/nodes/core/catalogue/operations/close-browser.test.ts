/**
 * Close Browser: the session's Chromium exits and the session keeps running; closing again, or navigating
 * afterwards, fails with the tool's message.
 */
import { strict as assert } from 'node:assert';
import { waitFor } from '../../../../support/wait';
import { browserProcesses, markerSwitch } from '../../../../support/browser';
import { runCore, useBrowserFixture } from './browser-fixture';

describe('Close Browser', function () {
  this.timeout(120_000);
  const fixture = useBrowserFixture();

  it('ends the browser\'s processes and leaves the session running', async () => {
    const session = await fixture.session();
    const marker = markerSwitch();
    await runCore(fixture.client, 'initializeBrowser', { extraArgs: [marker] }, session);
    assert.ok(browserProcesses(marker).length > 0);
    const { output } = await runCore(fixture.client, 'closeBrowser', {}, session);
    assert.equal(output.json.closed, true);
    await waitFor(() => browserProcesses(marker).length === 0, 20_000, 'the browser processes to exit');
    const status = await runCore(fixture.client, 'getSession', {}, session);
    assert.equal(status.output.json.status, 'RUNNING');

    await assert.rejects(runCore(fixture.client, 'closeBrowser', {}, session), /^Error: Failed to close the browser: The browser is not running$|Failed to close the browser: The browser is not running/);
    await assert.rejects(runCore(fixture.client, 'navigatePage', { url: fixture.page.url }, session), /Browser is not initialized/);
  });
});
