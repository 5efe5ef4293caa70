/**
 * The client reads at most MAX_RESPONSE_BYTES of an answer: a server that streams without end
 * gets an error naming the limit, not an exhausted heap.
 */
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgentBayClient } from '../../../../nodes/core/client/client';
import { AgentBayError } from '../../../../nodes/core/client/errors';
import { MAX_RESPONSE_BYTES } from '../../../../nodes/core/client/transport';

describe('client: answer size limit', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  let bytesSent = 0;

  before(async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      // Answers without end: one MiB at a time until the client hangs up.
      const pump = (): void => {
        while (!res.destroyed) {
          bytesSent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it(`stops reading an endless answer after ${MAX_RESPONSE_BYTES / 2 ** 20} MiB with an error`, async () => {
    const client = new AgentBayClient({ apiKey: 'akl-limit-test', region: 'custom', customEndpoint: url, retry: { maxRetries: 0, baseDelayMs: 1 } });
    try {
      await assert.rejects(client.call('GetSession', { SessionId: 'session-x' }), (error: unknown) => {
        assert.ok(error instanceof AgentBayError, String(error));
        assert.match(error.message, /maxContentLength|exceeded/i);
        assert.doesNotMatch(error.message, /akl-limit-test/);
        return true;
      });
      assert.ok(bytesSent < MAX_RESPONSE_BYTES + 64 * 2 ** 20, `the client hung up soon after the limit (${bytesSent} bytes sent)`);
    } finally {
      client.close();
    }
  });
});
