/**
 * n8n pickers: the nodes' list search (sessions, images) and load options (a session's MCP tools) against
 * the local server, and node version 2's resource locators next to version 1's text fields, which saved
 * workflows keep.
 */
import { strict as assert } from 'node:assert';
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import type { LocalServer } from '../../../local-server/server';
import { waitFor } from '../../support/wait';
import { connectionFor, startTestServer } from '../../support/local-server';
import { executeN8nNode, loadN8nNode } from '../../support/n8n';

describe('n8n: pickers and node version 2', function () {
  this.timeout(60_000);
  let server: LocalServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  /** What n8n hands a load-options method: the credential and the node's current parameters. */
  function loadOptionsContext(parameters: Record<string, unknown> = {}): ILoadOptionsFunctions {
    return {
      getCredentials: async () => connectionFor(server),
      getNode: () => ({ id: 'n', name: 'AgentBay Call MCP Tool', type: 'n8n-nodes-agentbay.agentBayCallMcpTool', typeVersion: 2, position: [0, 0], parameters: {} }),
      getCurrentNodeParameter: (name: string) => parameters[name],
    } as unknown as ILoadOptionsFunctions;
  }

  const methods = (operationId: string) => loadN8nNode(operationId).methods!;

  async function createSession(): Promise<string> {
    const created = await executeN8nNode('createSession', { credentials: connectionFor(server), parameters: { imageId: { __rl: true, mode: 'list', value: 'code_latest' } } });
    assert.equal(created.output[0][0].json.imageId, 'code_latest', 'the image picked from the list');
    return String((created.output[0][0].json.session as { sessionId: string }).sessionId);
  }
  const deleteSession = (sessionId: string) => executeN8nNode('deleteSession', { credentials: connectionFor(server), parameters: { sessionId, waitForDeletion: false } });

  it('lists the sessions (searchable) and the images for the resource locators', async () => {
    const first = await createSession();
    const second = await createSession();
    try {
      const search = methods('getSession').listSearch!.searchSessions;
      const all = (await search.call(loadOptionsContext())) as INodeListSearchResult;
      assert.deepEqual(all.results.map((result) => result.value).sort(), [first, second].sort());
      assert.match(String(all.results[0].name), /\((RUNNING)\)$/);
      const one = (await search.call(loadOptionsContext(), second)) as INodeListSearchResult;
      assert.deepEqual(one.results.map((result) => result.value), [second]);
      const images = (await methods('createSession').listSearch!.searchImages.call(loadOptionsContext(), 'browser')) as INodeListSearchResult;
      assert.deepEqual(images.results.map((result) => result.value), ['browser_latest']);
    } finally {
      await deleteSession(first);
      await deleteSession(second);
    }
  });

  it('loads the MCP tool names of the session the node names', async () => {
    const sessionId = await createSession();
    try {
      const load = methods('callMcpTool').loadOptions!.mcpToolNames;
      const tools = (await load.call(loadOptionsContext({ sessionId: { __rl: true, mode: 'list', value: sessionId } }))) as INodePropertyOptions[];
      assert.ok(tools.some((tool) => tool.value === 'run_code'), JSON.stringify(tools));
      await assert.rejects(load.call(loadOptionsContext({ sessionId: 'session-missing' })), /session-missing not found/);
    } finally {
      await deleteSession(sessionId);
    }
  });

  it('runs version 2 with locator values and a saved version 1 with text values alike', async () => {
    const description = loadN8nNode('getStatus').description;
    assert.deepEqual(description.version, [1, 2]);
    assert.equal(description.defaultVersion, 2);
    const types = (version: number) =>
      description.properties
        .filter((property) => property.name === 'sessionId' && (property.displayOptions?.show?.['@version'] as number[]).includes(version))
        .map((property) => property.type);
    assert.deepEqual([...new Set(types(1))], ['string']);
    assert.deepEqual([...new Set(types(2))], ['resourceLocator']);

    const sessionId = await createSession();
    try {
      const v2 = await executeN8nNode('getStatus', { credentials: connectionFor(server), parameters: { sessionId: { __rl: true, mode: 'list', value: sessionId } } });
      const v1 = await executeN8nNode('getStatus', { credentials: connectionFor(server), typeVersion: 1, parameters: { sessionId } });
      assert.equal(v2.output[0][0].json.status, 'RUNNING');
      assert.equal(v1.output[0][0].json.status, 'RUNNING');
      // The default of both versions: the session the previous node put on the item.
      const chained = await executeN8nNode('getStatus', { credentials: connectionFor(server), items: [{ json: { session: { sessionId } } }] });
      assert.equal(chained.output[0][0].json.status, 'RUNNING');
    } finally {
      await deleteSession(sessionId);
    }
    await waitFor(() => server.sessionCount() === 0, 10000, 'the sessions deleted');
  });
});
