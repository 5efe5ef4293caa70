/**
 * The local server's after-action faults and fault bounds: the Action runs, then its answer is
 * lost; `onlyActions` and `maxFaults` pick which requests get a fault. Also the error inside a
 * 200 answer (the Action does not run) and the fault counters tests read.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../local-server/server';
import { call, startFakeServer } from '../support/local-server-wire';

describe('local server: after-action faults', () => {
  let server: LocalServer;
  before(async () => {
    ({ server } = await startFakeServer());
  });
  after(async () => {
    await server.close();
  });
  afterEach(() => server.setFaults({}));

  const listed = async (): Promise<number> => {
    const res = await call(server, 'ListSession', { Labels: '{}' });
    return Number(res.body.TotalCount);
  };

  it('serverErrorAfterEveryN: the create runs, the answer is a 503', async () => {
    const before = await listed();
    server.setFaults({ onlyActions: ['CreateMcpSession'], serverErrorAfterEveryN: 1 });
    const res = await call(server, 'CreateMcpSession');
    assert.equal(res.status, 503);
    assert.equal(res.body.Code, 'ServiceUnavailable');
    assert.equal(await listed(), before + 1, 'the session exists');
  });

  it('notJsonAfterEveryN: the create runs, the answer is an HTML 502', async () => {
    const before = await listed();
    server.setFaults({ onlyActions: ['CreateMcpSession'], notJsonAfterEveryN: 1 });
    const res = await call(server, 'CreateMcpSession');
    assert.equal(res.status, 502);
    assert.match(res.text, /^<html>/);
    assert.equal(await listed(), before + 1);
  });

  it('dropAfterEveryN: the create runs, the connection is reset', async () => {
    const before = await listed();
    server.setFaults({ onlyActions: ['CreateMcpSession'], dropAfterEveryN: 1 });
    await assert.rejects(call(server, 'CreateMcpSession'), (err: NodeJS.ErrnoException) => /ECONNRESET|socket hang up/.test(String(err.code ?? err.message)));
    assert.equal(await listed(), before + 1);
  });

  it('onlyActions leaves other Actions alone; maxFaults stops after that many faults', async () => {
    server.setFaults({ onlyActions: ['GetSession'], serverErrorEveryN: 1, maxFaults: 2 });
    assert.equal((await call(server, 'ListSession', { Labels: '{}' })).status, 200);
    assert.equal((await call(server, 'GetSession', { SessionId: 'session-x' })).status, 503);
    assert.equal((await call(server, 'GetSession', { SessionId: 'session-x' })).status, 503);
    assert.equal((await call(server, 'GetSession', { SessionId: 'session-x' })).body.Code, 'InvalidMcpSession.NotFound');
  });

  it('successFalseEveryN: HTTP 200 whose envelope says InternalError, and the Action does not run', async () => {
    const before = await listed();
    server.setFaults({ onlyActions: ['CreateMcpSession'], successFalseEveryN: 1, maxFaults: 1 });
    const res = await call(server, 'CreateMcpSession');
    assert.equal(res.status, 200);
    assert.equal(res.body.Success, false);
    assert.equal(res.body.Code, 'InternalError');
    assert.equal(res.body.HttpStatusCode, 500);
    assert.equal(res.body.Data, undefined);
    assert.equal(await listed(), before, 'no session was made');
  });

  it('faultStats counts the requests of the chosen Actions and the faults injected since setFaults', async () => {
    server.setFaults({ onlyActions: ['GetSession'], serverErrorEveryN: 1, maxFaults: 1 });
    await call(server, 'ListSession', { Labels: '{}' });
    await call(server, 'GetSession', { SessionId: 'session-x' });
    await call(server, 'GetSession', { SessionId: 'session-x' });
    assert.deepEqual(server.faultStats(), { requests: 2, faults: 1, maxInFlight: 1 });
    server.setFaults({});
    assert.deepEqual(server.faultStats(), { requests: 0, faults: 0, maxInFlight: 0 });
  });

  it('throttleRetryAfterSeconds sets the retry-after header', async () => {
    server.setFaults({ throttleEveryN: 1, throttleRetryAfterSeconds: 86400 });
    const res = await call(server, 'ListSession', { Labels: '{}' });
    assert.equal(res.body.Code, 'Throttling.User');
    assert.equal(res.headers['x-acs-retry-after'], '86400');
  });
});
