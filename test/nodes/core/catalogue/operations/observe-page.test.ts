/**
 * Observe Page in the real Node-RED runtime: the local server's "not available" tool error reaches a Catch node.
 */
import { strict as assert } from 'node:assert';
import { operationById } from '../../../../../nodes/core/catalogue/index';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';
import { useBrowserFixture } from './browser-fixture';

describe('Observe Page', function () {
  this.timeout(60_000);
  const fixture = useBrowserFixture();
  useNodeRedRuntime();

  it('is an n8n AI-agent tool', () => {
    assert.equal(operationById('observePage').usableAsTool, true);
  });

  it('Node-RED: the "not available on the local server" error goes to a Catch node', async () => {
    const session = await fixture.session();
    await loadFlow(fixture.server, [
      { id: 'observe', type: 'agentbay-observe-page', server: CONFIG_ID, instruction: 'Find the Send button', instructionType: 'agentbay-text', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'catcher', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const caught = nextMessage('caught');
    helper.getNode('observe').receive({ agentbay: { session: { ...session } } });
    const msg = await caught;
    assert.match(String(msg.error?.message), /^Observe failed: page_use_observe is not available on the local server/);
  });
});
