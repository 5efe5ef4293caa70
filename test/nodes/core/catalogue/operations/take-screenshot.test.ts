/**
 * Take Screenshot against a real browser (640×480 viewport): a PNG of the viewport as n8n binary data, a full-page
 * PNG as tall as the page, and a JPEG as a Node-RED Buffer; sizes read from the image headers.
 */
import { strict as assert } from 'node:assert';
import type { IBinaryData, INodeParameters } from 'n8n-workflow';
import type { SessionRef } from '../../../../../nodes/core/catalogue/session';
import { connectionFor } from '../../../../support/local-server';
import { executeN8nNode } from '../../../../support/n8n';
import { imageHeader, PAGE_HEIGHT } from '../../../../support/browser';
import { CONFIG_ID, helper, loadFlow, nextMessage, useNodeRedRuntime } from '../../../../support/node-red';
import { runCore, useBrowserFixture } from './browser-fixture';

describe('Take Screenshot', function () {
  this.timeout(120_000);
  const fixture = useBrowserFixture();
  let session: SessionRef;

  before(async () => {
    session = await fixture.session();
    await runCore(fixture.client, 'initializeBrowser', { viewportWidth: 640, viewportHeight: 480 }, session);
    await runCore(fixture.client, 'navigatePage', { url: fixture.page.url }, session);
  });

  const screenshot = async (parameters: INodeParameters) => {
    const { output } = await executeN8nNode('takeScreenshot', {
      items: [{ json: { session: { ...session } } }],
      credentials: connectionFor(fixture.server),
      parameters,
    });
    const item = output[0]![0]!;
    const binary = item.binary?.data as IBinaryData;
    return { json: item.json, binary, bytes: Buffer.from(binary.data, 'base64') };
  };

  it('n8n: a PNG of the viewport as the binary property "data", described in the JSON', async () => {
    const shot = await screenshot({});
    assert.deepEqual(imageHeader(shot.bytes), { type: 'png', width: 640, height: 480 });
    assert.equal(shot.binary.mimeType, 'image/png');
    assert.equal(shot.binary.fileName, 'screenshot.png');
    assert.deepEqual(
      { width: shot.json.width, height: shot.json.height, size: shot.json.size, mimeType: shot.json.mimeType },
      { width: 640, height: 480, size: shot.bytes.length, mimeType: 'image/png' },
    );
  });

  it('n8n: Full Page captures the whole page', async () => {
    const shot = await screenshot({ fullPage: true });
    assert.deepEqual(imageHeader(shot.bytes), { type: 'png', width: 640, height: PAGE_HEIGHT });
  });

  describe('in Node-RED', () => {
    useNodeRedRuntime();

    it('a JPEG as a Buffer at msg.payload.data', async () => {
      await loadFlow(fixture.server, [
        { id: 'shot', type: 'agentbay-take-screenshot', server: CONFIG_ID, format: 'jpeg', quality: '60', qualityType: 'num', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ]);
      const received = nextMessage('out', 60_000);
      helper.getNode('shot').receive({ agentbay: { session: { ...session } } });
      const payload = (await received).payload as Record<string, unknown>;
      assert.ok(Buffer.isBuffer(payload.data));
      assert.deepEqual(imageHeader(payload.data as Buffer), { type: 'jpeg', width: 640, height: 480 });
      assert.equal(payload.mimeType, 'image/jpeg');
    });
  });
});
