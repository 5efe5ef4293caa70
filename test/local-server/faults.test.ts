/**
 * Fault and latency injection, and the default loopback bind.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { LocalServer } from '../../local-server/server';
import { call, startFakeServer } from '../support/local-server-wire';

describe('local server: fault injection', () => {
  let server: LocalServer;
  before(async () => {
    ({ server } = await startFakeServer());
  });
  after(async () => {
    await server.close();
  });
  afterEach(() => server.setFaults({}));

  it('is off unless set', async () => {
    for (let i = 0; i < 5; i += 1) assert.equal((await call(server, 'ListMcpTools')).status, 200);
  });

  it('throttles every Nth request with Throttling.User and x-acs-retry-after: 1', async () => {
    server.setFaults({ throttleEveryN: 2 });
    const first = await call(server, 'ListMcpTools');
    const second = await call(server, 'ListMcpTools');
    assert.equal(first.status, 200);
    assert.equal(second.status, 400);
    assert.equal(second.body.Code, 'Throttling.User');
    assert.equal(second.body.Success, false);
    assert.equal(second.headers['x-acs-retry-after'], '1');
    assert.equal((await call(server, 'ListMcpTools')).status, 200);
  });

  it('answers every Nth request with HTTP 503 ServiceUnavailable', async () => {
    server.setFaults({ serverErrorEveryN: 1 });
    const res = await call(server, 'ListMcpTools');
    assert.equal(res.status, 503);
    assert.equal(res.body.Code, 'ServiceUnavailable');
    assert.equal(res.body.HttpStatusCode, 503);
  });

  it('drops every Nth connection without an answer', async () => {
    server.setFaults({ dropEveryN: 1 });
    await assert.rejects(call(server, 'ListMcpTools'), (err: NodeJS.ErrnoException) => {
      assert.match(String(err.code ?? err.message), /ECONNRESET|socket hang up/);
      return true;
    });
    server.setFaults({});
    assert.equal((await call(server, 'ListMcpTools')).status, 200);
  });

  it('adds latency', async () => {
    server.setFaults({ latencyMs: 150 });
    const started = Date.now();
    assert.equal((await call(server, 'ListMcpTools')).status, 200);
    assert.ok(Date.now() - started >= 140, 'answer was delayed');
  });

  it('applies faults before authentication (every Action request counts)', async () => {
    server.setFaults({ throttleEveryN: 1 });
    const res = await call(server, 'ListMcpTools', {}, { key: 'wrong' });
    assert.equal(res.body.Code, 'Throttling.User');
  });
});

describe('local server: binding', () => {
  it('binds 127.0.0.1 by default and reports url and endpoint', async () => {
    const { server } = await startFakeServer();
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(server.url, `http://${server.endpoint}`);
      const port = Number(server.endpoint.split(':')[1]);
      assert.ok(port > 0);
      assert.match(server.apiKey, /^akl-[0-9a-f]{32}$/);
    } finally {
      await server.close();
    }
  });

  it('is not reachable on a non-loopback address by default', async function () {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((n) => n && n.family === 'IPv4' && !n.internal);
    if (!external) this.skip();
    const { server } = await startFakeServer();
    try {
      const port = Number(server.endpoint.split(':')[1]);
      await assert.rejects(
        new Promise((resolve, reject) => {
          const req = http.request({ host: external?.address, port, method: 'POST', path: '/' }, resolve);
          req.on('error', reject);
          req.end();
        }),
        /ECONNREFUSED/,
      );
    } finally {
      await server.close();
    }
  });

  it('uses the given API key', async () => {
    const { server } = await startFakeServer({ apiKey: 'akl-given' });
    try {
      assert.equal(server.apiKey, 'akl-given');
      assert.equal((await call(server, 'ListMcpTools')).status, 200);
    } finally {
      await server.close();
    }
  });
});
