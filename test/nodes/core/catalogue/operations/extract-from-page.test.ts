/**
 * Extract from Page: an invalid JSON Schema is refused before any request; a valid one is sent as the SDK sends it,
 * and the local server answers with its "not available" tool error.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { operationById } from '../../../../../nodes/core/catalogue/index';
import { refusedBeforeAnyRequest, runCore, useBrowserFixture } from './browser-fixture';

describe('Extract from Page', function () {
  this.timeout(60_000);
  const fixture = useBrowserFixture();

  it('is an n8n AI-agent tool', () => {
    assert.equal(operationById('extractFromPage').usableAsTool, true);
  });

  it('refuses an invalid schema before any request, naming the field', async () => {
    for (const schema of [{ type: 'nonsense' }, { properties: { a: { minLength: -1 } } }, {}, '"just a string"']) {
      const error = await refusedBeforeAnyRequest('extractFromPage', { instruction: 'the title', schema });
      assert.ok(error instanceof InputValidationError, `${JSON.stringify(schema)}: ${error.message}`);
      assert.equal(error.field, 'schema');
      assert.match(error.message, /Schema/);
    }
  });

  it('sends a valid schema and fails with the local server\'s "not available" message', async () => {
    const session = await fixture.session();
    const schema = { type: 'object', properties: { title: { type: 'string' } }, required: ['title'] };
    await assert.rejects(runCore(fixture.client, 'extractFromPage', { instruction: 'the page title', schema }, session), (error: unknown) => {
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /^Extract failed: page_use_extract is not available on the local server/);
      return true;
    });
  });
});
