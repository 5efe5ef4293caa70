/**
 * Navigate Page against a real browser: a loopback page loads with its title, a host outside loopback shows the
 * local server's refusal, and a session without an initialized browser fails with the tool's message.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { PAGE_TITLE } from '../../../../support/browser';
import { refusedBeforeAnyRequest, runCore, useBrowserFixture } from './browser-fixture';

describe('Navigate Page', function () {
  this.timeout(120_000);
  const fixture = useBrowserFixture();

  it('fails without an initialized browser', async () => {
    const session = await fixture.session();
    await assert.rejects(runCore(fixture.client, 'navigatePage', { url: fixture.page.url }, session), (error: unknown) => {
      assert.ok(error instanceof AgentBayError);
      assert.equal(error.message, 'Navigation failed: Browser is not initialized: call InitBrowser first');
      return true;
    });
    assert.equal(fixture.page.hits(), 0);
  });

  it('opens a loopback page and reports its URL and title; other hosts are refused by the local server', async () => {
    const session = await fixture.session();
    await runCore(fixture.client, 'initializeBrowser', {}, session);
    const { output } = await runCore(fixture.client, 'navigatePage', { url: fixture.page.url }, session);
    assert.equal(output.json.url, fixture.page.url);
    assert.equal(output.json.finalUrl, fixture.page.url);
    assert.equal(output.json.title, PAGE_TITLE);
    assert.equal(fixture.page.hits(), 1);
    const outside = await runCore(fixture.client, 'navigatePage', { url: 'http://192.0.2.20/' }, session);
    assert.equal(outside.output.json.title, 'Blocked by the local AgentBay server');
  });

  it('refuses a URL that is not absolute before any request', async () => {
    const error = await refusedBeforeAnyRequest('navigatePage', { url: 'example.com' });
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'url');
  });
});
