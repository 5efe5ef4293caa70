/**
 * Act on Page through the real n8n execute path: the local server has no language model, so the node fails with
 * the documented message (NodeApiError), or returns it as the item's error with Continue On Fail.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError } from 'n8n-workflow';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { operationById } from '../../../../../nodes/core/catalogue/index';
import { connectionFor } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { refusedBeforeAnyRequest, useBrowserFixture } from './browser-fixture';

const NOT_AVAILABLE = "Act failed: page_use_act is not available on the local server: it needs the cloud's language model. Drive the page through the CDP endpoint (GetCdpLink) instead.";

describe('Act on Page', function () {
  this.timeout(60_000);
  const fixture = useBrowserFixture();

  it('is an n8n AI-agent tool', () => {
    assert.equal(operationById('actOnPage').usableAsTool, true);
  });

  it('n8n: fails with the local server\'s "not available" message, or returns it with Continue On Fail', async () => {
    const session = await fixture.session();
    const run = (continueOnFail: boolean) => executeN8nNode('actOnPage', {
      items: [{ json: { session: { ...session } } }],
      credentials: connectionFor(fixture.server),
      parameters: { action: 'Click the Send button', options: { variables: '{"name":"x"}' } },
      continueOnFail,
    });
    await assert.rejects(run(false), (error: unknown) => {
      assert.ok(error instanceof NodeApiError, String(error));
      assert.equal(error.message, NOT_AVAILABLE);
      return true;
    });
    const { output } = await run(true);
    assert.equal(output[0]![0]!.json.error, NOT_AVAILABLE);
  });

  it('refuses a blank action before any request', async () => {
    const error = await refusedBeforeAnyRequest('actOnPage', { action: '   ' });
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'action');
  });
});
