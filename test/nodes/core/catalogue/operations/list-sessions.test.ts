/**
 * List Sessions' own behaviour: it returns exactly the sessions the server holds with the given
 * labels and status, and an unknown status is refused naming the field.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../../../local-server/server';
import type { AgentBayClient } from '../../../../../nodes/core/client/client';
import { InputValidationError } from '../../../../../nodes/core/client/errors';
import { failCore, runCore, SessionTracker } from '../../../../support/core-session';
import { clientFor, startTestServer } from '../../../../support/local-server';

describe('List Sessions', function () {
  this.timeout(60000);
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  const listed: string[] = [];
  let other: string;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    for (let index = 0; index < 3; index++) listed.push((await sessions.create({ team: 'listed' })).sessionId);
    other = (await sessions.create({ team: 'other' })).sessionId;
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    await server?.close();
  });

  it('lists the sessions carrying the labels, with their status and counts', async () => {
    const { output } = await runCore(client, 'listSessions', { labels: { team: 'listed' } });
    const found = output.json.sessionIds as Array<{ sessionId: string; sessionStatus: string }>;
    assert.deepEqual(found.map((entry) => entry.sessionId).sort(), [...listed].sort());
    assert.ok(found.every((entry) => entry.sessionStatus === 'RUNNING'));
    assert.equal(output.json.count, 3);
    assert.equal(output.json.totalCount, 3);
    assert.equal(output.json.nextToken, '');
    assert.match(String(output.json.requestId), /.+/);
    assert.ok(!found.some((entry) => entry.sessionId === other));
  });

  it('pages by the limit, and filters by status', async () => {
    const first = await runCore(client, 'listSessions', { labels: { team: 'listed' }, limit: 2 });
    assert.equal(first.output.json.count, 2);
    assert.equal(first.output.json.totalCount, 3);
    assert.equal(first.output.json.maxResults, 2);
    assert.notEqual(first.output.json.nextToken, '');
    await runCore(client, 'pauseSession', {}, other);
    try {
      const paused = await runCore(client, 'listSessions', { status: 'PAUSED' });
      assert.deepEqual(paused.output.json.sessionIds, [{ sessionId: other, sessionStatus: 'PAUSED' }]);
    } finally {
      await runCore(client, 'resumeSession', {}, other);
    }
  });

  it('an unknown status is refused naming the field, with the SDK\'s message', async () => {
    const error = await failCore(client, 'listSessions', { status: 'BOGUS' });
    assert.ok(error instanceof InputValidationError);
    assert.equal(error.field, 'status');
    assert.match(error.message, /Invalid status 'BOGUS'\. Must be one of: RUNNING, PAUSING, PAUSED/);
  });
});
