/**
 * Generate Context Name's own behaviour: the SDK's `YYYYMMDDHHMMSS_<random>` form in UTC from the
 * run's clock, the random part alone on request, different names each run, and a bad length
 * refused naming the field. It needs no server.
 */
import { strict as assert } from 'node:assert';
import { generateContextName } from '../../../../../nodes/core/catalogue/operations/generate-context-name';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { runOperation } from '../../../../../nodes/core/run-operation';
import { executeN8nNode } from '../../../../support/n8n';

const run = async (rawParameters: Record<string, unknown>) =>
  (
    await runOperation(generateContextName, {
      rawParameters,
      sessionField: 'Session',
      getClient: () => {
        throw new Error('Generate Context Name made a request');
      },
      progress: () => undefined,
    })
  ).output.json;

describe('Generate Context Name', () => {
  it('gives a UTC timestamp, an underscore and 8 random letters or digits by default', async () => {
    const before = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const { contextName } = await run({});
    const after = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const match = /^(\d{14})_([A-Za-z0-9]{8})$/.exec(String(contextName));
    assert.ok(match, `unexpected name ${String(contextName)}`);
    assert.ok(match[1] >= before && match[1] <= after, `timestamp ${match[1]} is the current UTC time`);
  });

  it('gives only the random part, of the given length, without the timestamp', async () => {
    const { contextName } = await run({ length: 20, includeTimestamp: false });
    assert.match(String(contextName), /^[A-Za-z0-9]{20}$/);
  });

  it('gives a different name each run', async () => {
    const names = new Set<unknown>();
    for (let index = 0; index < 20; index++) names.add((await run({ length: 12, includeTimestamp: false })).contextName);
    assert.equal(names.size, 20);
  });

  it('a length out of range is refused naming the field', async () => {
    await assert.rejects(run({ length: 0 }), (error: Error) => error instanceof InputValidationError && error.field === 'length' && /1 to 128/.test(error.message));
  });

  describe('n8n', () => {
    it('generates context names without credentials', async () => {
      const { output } = await executeN8nNode('generateContextName', { items: [{ json: {} }, { json: {} }], parameters: { length: 12 } });
      for (const item of output[0]) assert.match(String(item.json.contextName), /^\d{14}_[A-Za-z0-9]{12}$/);
      const plain = await executeN8nNode('generateContextName', { parameters: { includeTimestamp: false, length: 5 } });
      assert.match(String(plain.output[0][0].json.contextName), /^[A-Za-z0-9]{5}$/);
    });
  });
});
