/**
 * List MCP Tools against scripted answers: unreadable Data, the image it asks for.
 */
import { strict as assert } from 'node:assert';
import { ok, run } from '../../../../support/scripted-service';

describe('List MCP Tools (scripted answers)', () => {
  describe('List MCP Tools', () => {
    it('unreadable Data gives no tools, as in the SDK', async () => {
      const result = await run('listMcpTools', { ListMcpTools: [ok('[not json')] });
      assert.deepEqual(result.json, { tools: [], count: 0, imageId: 'code_latest', requestId: 'REQ-1' });
    });

    it('asks for the session\'s image without a SessionId, and the Image ID parameter overrides it', async () => {
      const fromSession = await run('listMcpTools', { ListMcpTools: [ok('[]')] });
      assert.equal(fromSession.transport.sent[0].params.get('ImageId'), 'code_latest');
      assert.equal(fromSession.transport.sent[0].params.has('SessionId'), false);
      const overridden = await run('listMcpTools', { ListMcpTools: [ok('[{"name":"shell"}]')] }, { imageId: 'browser_latest' });
      assert.equal(overridden.transport.sent[0].params.get('ImageId'), 'browser_latest');
      assert.deepEqual(overridden.json.tools, [{ name: 'shell', description: '', inputSchema: {}, server: '', tool: '' }]);
    });
  });
});
