/**
 * Get Link against scripted answers: Data as a JSON string, Port and Option, bad ports, no Url.
 */
import { strict as assert } from 'node:assert';
import { failure, ok, run } from '../../../../support/scripted-service';

describe('Get Link (scripted answers)', () => {
  describe('Get Link', () => {
    it('parses Data given as a JSON string and accepts a lowercase url', async () => {
      const result = await run('getLink', { GetLink: [ok('{"url":"wss://example.test/abc"}')] }, { protocolType: 'wss', port: 30101 });
      assert.deepEqual(result.json, { url: 'wss://example.test/abc', requestId: 'REQ-1' });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.get('ProtocolType'), 'wss');
      assert.equal(sent.get('Port'), '30101');
      assert.equal(sent.has('Option'), false);
    });

    it('sends no Port for 0 (an empty Node-RED number field) and Option when given', async () => {
      const result = await run('getLink', { GetLink: [ok({ Url: 'https://example.test' })] }, { port: 0, option: 'x=1' });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.has('Port'), false);
      assert.equal(sent.get('Option'), 'x=1');
    });

    it('refuses a non-integer port with the SDK text, before any request', async () => {
      const error = await failure('getLink', { GetLink: [ok({ Url: 'x' })] }, { port: 30150.5 });
      assert.equal(error.message, 'Port (port): Invalid port value: 30150.5. Port must be an integer in the range [30100, 30199].');
      assert.deepEqual(error.transport.actions(), []);
    });

    it('an answer without Url is an error rather than an empty link', async () => {
      const error = await failure('getLink', { GetLink: [ok({})] });
      assert.equal(error.message, 'Failed to get link: the response carries no Url');
    });
  });
});
