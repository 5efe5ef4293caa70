/**
 * The n8n adapter's generic behaviour, once for every operation of the catalogue, through the
 * node's real `execute` with the real n8n-workflow (test/support/n8n.ts): bad input is a
 * NodeOperationError carrying its item index, sent before any request; Continue On Fail turns each
 * failed item into an error item paired to its input that keeps the session; every output item is
 * paired to its input; a failure without Continue On Fail carries its item index.
 * Each operation's own results are tested in test/nodes/core/catalogue/operations/.
 */
import { strict as assert } from 'node:assert';
import { NodeApiError, NodeOperationError, type IDataObject, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';
import { operations } from '../../../nodes/core/catalogue/index';
import type { OperationDefinition, ParameterDefinition } from '../../../nodes/core/catalogue/types';
import { badValue, requiredValues, takesContextField, UNKNOWN_CONTEXT, UNKNOWN_SESSION } from '../../support/every-operation';
import { connectionFor } from '../../support/local-server';
import { startLoggedServer, type LoggedServer } from '../../support/logged-server';
import { executeN8nNode } from '../../support/n8n';
import { CONTEXT_PARAMETER, SESSION_PARAMETER } from '../../../nodes/n8n/properties';

/** A parameter value as it is set in n8n's editor (JSON fields hold text, lists are comma-separated). */
function n8nValue(parameter: ParameterDefinition | undefined, value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (parameter?.kind === 'stringList' && Array.isArray(value)) return value.join(',');
  return JSON.stringify(value);
}

function n8nParameters(operation: OperationDefinition, values: Record<string, unknown>): INodeParameters {
  const byName = new Map(operation.parameters.map((parameter) => [parameter.name, parameter]));
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, n8nValue(byName.get(name), value)])) as INodeParameters;
}

describe('n8n: every operation of the catalogue', function () {
  this.timeout(60_000);
  let logged: LoggedServer;

  before(async () => {
    logged = await startLoggedServer();
  });
  after(async () => {
    await logged.server.close();
  });

  for (const operation of operations) {
    const takesSession = operation.session !== 'none';
    const takesContext = !takesSession && takesContextField(operation);

    describe(operation.displayName, () => {
      /** Two items that validation refuses: a malformed session, or a bad parameter value. */
      function badRun(): { items: INodeExecutionData[]; parameters: INodeParameters } {
        if (takesSession) {
          // The items carry a session, but the Session ID field gives a number: there, and malformed.
          const items = [0, 1].map((index) => ({ json: { index, session: { ...UNKNOWN_SESSION } } as IDataObject }));
          return { items, parameters: { ...n8nParameters(operation, requiredValues(operation)), [SESSION_PARAMETER]: '={{ 42 }}' } };
        }
        if (takesContext) {
          // The items carry a context, but the Context field gives a number: there, and malformed.
          const items = [0, 1].map((index) => ({ json: { index, context: { ...UNKNOWN_CONTEXT } } as IDataObject }));
          return { items, parameters: { ...n8nParameters(operation, requiredValues(operation)), [CONTEXT_PARAMETER]: '={{ 42 }}' } };
        }
        const bad = badValue(operation);
        const parameters = n8nParameters(operation, { ...requiredValues(operation), [bad.parameter.name]: bad.value });
        return { items: [{ json: { index: 0 } }, { json: { index: 1 } }], parameters };
      }

      it('bad input: NodeOperationError with the item index, or error items paired to their inputs, and no request', async () => {
        const before = logged.lines.length;
        const { items, parameters } = badRun();
        const credentials = connectionFor(logged.server);
        await assert.rejects(executeN8nNode(operation.id, { items, parameters, credentials }), (error: unknown) => {
          assert.ok(error instanceof NodeOperationError, `${operation.id}: ${String(error)}`);
          assert.equal(error.context.itemIndex, 0);
          return true;
        });
        const { output } = await executeN8nNode(operation.id, { items, parameters, credentials, continueOnFail: true });
        assert.equal(output[0].length, items.length);
        output[0].forEach((item, index) => {
          assert.deepEqual(item.pairedItem, { item: index });
          assert.equal(typeof item.json.error, 'string', `${operation.id}: item ${index} is an error item`);
          if (takesSession) assert.deepEqual(item.json.session, items[index].json.session, 'the session stays on the error item');
          if (takesContext) assert.deepEqual(item.json.context, items[index].json.context, 'the context stays on the error item');
        });
        assert.deepEqual(logged.lines.slice(before), [], 'no request was sent');
      });

      if (!takesSession) return;
      it('on a session the service does not know: every output paired to its input, errors keep the session and carry the item index', async () => {
        const items: INodeExecutionData[] = [0, 1].map((index) => ({ json: { index, session: { ...UNKNOWN_SESSION } } }));
        const parameters = n8nParameters(operation, requiredValues(operation));
        const credentials = connectionFor(logged.server);
        const { output } = await executeN8nNode(operation.id, { items, parameters, credentials, continueOnFail: true });
        assert.equal(output[0].length, items.length);
        output[0].forEach((item, index) => {
          assert.deepEqual(item.pairedItem, { item: index });
          if (typeof item.json.error === 'string') {
            assert.doesNotMatch(item.json.error, / must be |is not valid/, `${operation.id}: the input was valid`);
            assert.deepEqual(item.json.session, UNKNOWN_SESSION, 'the session stays on the error item');
          }
        });
        if (typeof output[0][0].json.error !== 'string') return;
        await assert.rejects(executeN8nNode(operation.id, { items, parameters, credentials }), (error: unknown) => {
          assert.ok(error instanceof NodeApiError || error instanceof NodeOperationError, String(error));
          assert.equal(error.context.itemIndex, 0);
          assert.equal(error.message, output[0][0].json.error);
          return true;
        });
      });
    });
  }
});
