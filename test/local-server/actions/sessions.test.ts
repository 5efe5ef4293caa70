/**
 * Session life cycle over real HTTP: listing and pagination, labels, delete, pause/resume,
 * context status, idle reaping, shutdown.
 */
import { strict as assert } from 'node:assert';
import type { LocalServer } from '../../../local-server/server';
import { call, createSession, startFakeServer, type FakeFactory, type Json } from '../../support/local-server-wire';
import { sleep, waitFor } from '../../support/wait';

async function status(server: LocalServer, id: string): Promise<string> {
  const res = await call(server, 'GetSessionDetail', {}, { query: { SessionId: id } });
  return res.status === 200 ? String((res.body.Data as Json).Status) : String(res.body.Code);
}

describe('local server: sessions', () => {
  let server: LocalServer;
  let factory: FakeFactory;

  beforeEach(async () => {
    ({ server, factory } = await startFakeServer());
  });
  afterEach(async () => {
    await server.close();
  });

  describe('ListSession', () => {
    it('pages 5 labelled sessions 2 at a time via NextToken, TotalCount 5', async () => {
      const created: string[] = [];
      for (let i = 0; i < 5; i += 1) created.push(await createSession(server, { Labels: '{"suite":"paging"}' }));
      await createSession(server, { Labels: '{"suite":"other"}' });

      const seen: string[] = [];
      const tokens: string[] = [];
      let token = '';
      for (let page = 0; page < 5; page += 1) {
        const params: Record<string, string> = { Labels: '{"suite":"paging"}', MaxResults: '2' };
        if (token) params.NextToken = token;
        const res = await call(server, 'ListSession', params);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.TotalCount, 5);
        assert.equal(res.body.MaxResults, 2);
        assert.equal(typeof res.body.NextToken, 'string');
        const data = res.body.Data as Json[];
        for (const item of data) {
          assert.equal(item.SessionStatus, 'RUNNING');
          seen.push(String(item.SessionId));
        }
        token = String(res.body.NextToken);
        tokens.push(token);
        if (!token) break;
      }
      assert.equal(tokens.length, 3, 'three pages');
      assert.equal(tokens[2], '', 'NextToken is empty on the last page');
      assert.deepEqual(seen, created);
    });

    it('matches sessions having all the given label pairs, and lists all with {}', async () => {
      const both = await createSession(server, { Labels: '{"a":"1","b":"2"}' });
      await createSession(server, { Labels: '{"a":"1"}' });
      const res = await call(server, 'ListSession', { Labels: '{"a":"1","b":"2"}' });
      assert.deepEqual(
        (res.body.Data as Json[]).map((d) => d.SessionId),
        [both],
      );
      const all = await call(server, 'ListSession', { Labels: '{}' });
      assert.equal(all.body.TotalCount, 2);
      assert.equal(all.body.MaxResults, 10, 'MaxResults defaults to 10');
    });

    it('filters by Status; a deleted session lists as DELETING, then DELETED, and leaves the default list', async () => {
      const a = await createSession(server);
      const b = await createSession(server);
      assert.equal((await call(server, 'PauseSessionAsync', { SessionId: a })).status, 200);
      await waitFor(async () => (await status(server, a)) === 'PAUSED', 3000, 'PAUSED');
      const paused = await call(server, 'ListSession', { Labels: '{}', Status: 'PAUSED' });
      assert.deepEqual((paused.body.Data as Json[]).map((d) => d.SessionId), [a]);
      await call(server, 'DeleteSessionAsync', { SessionId: b });
      const deleting = await call(server, 'ListSession', { Labels: '{}', Status: 'DELETING' });
      assert.deepEqual((deleting.body.Data as Json[]).map((d) => d.SessionId), [b]);
      await waitFor(async () => (await status(server, b)) === 'FINISH', 3000, 'FINISH');
      const deleted = await call(server, 'ListSession', { Labels: '{}', Status: 'DELETED' });
      assert.deepEqual(deleted.body.Data, [{ SessionId: b, SessionStatus: 'DELETED', AppInstanceId: (deleted.body.Data as Json[])[0]?.AppInstanceId, ImageId: (deleted.body.Data as Json[])[0]?.ImageId }]);
      assert.equal(deleted.body.TotalCount, 1);
      const labelled = await call(server, 'ListSession', { Labels: '{"no":"match"}', Status: 'DELETED' });
      assert.deepEqual(labelled.body.Data, [], 'the label filter applies to deleted sessions too');
      const all = await call(server, 'ListSession', { Labels: '{}' });
      assert.deepEqual((all.body.Data as Json[]).map((d) => d.SessionId), [a], 'without Status only live sessions');
      const running = await call(server, 'ListSession', { Labels: '{}', Status: 'RUNNING' });
      assert.deepEqual(running.body.Data, []);
    });
  });

  describe('labels', () => {
    it('SetLabel replaces the whole label set', async () => {
      const id = await createSession(server, { Labels: '{"old":"x"}' });
      assert.equal((await call(server, 'SetLabel', { SessionId: id, Labels: '{"new":"y"}' })).status, 200);
      const res = await call(server, 'GetLabel', { SessionId: id });
      assert.deepEqual(JSON.parse(String((res.body.Data as Json).Labels)), { new: 'y' });
    });

    it('SetLabel requires Labels', async () => {
      const id = await createSession(server);
      const res = await call(server, 'SetLabel', { SessionId: id });
      assert.equal(res.body.Code, 'InvalidParameter');
      assert.match(String(res.body.Message), /Labels/);
    });
  });

  describe('delete', () => {
    it('goes DELETING at once, destroys the workspace, then stays queryable as DELETED / FINISH', async () => {
      const id = await createSession(server);
      const res = await call(server, 'DeleteSessionAsync', { SessionId: id });
      assert.equal(res.status, 200);
      assert.equal('Data' in res.body, false);
      assert.equal(await status(server, id), 'DELETING');
      const deleting = await call(server, 'GetSession', { SessionId: id });
      assert.equal((deleting.body.Data as Json).Status, 'DELETING');
      // FINISH is what the SDK's delete() polls GetSessionDetail for; without it, it waits 5 minutes.
      await waitFor(async () => (await status(server, id)) === 'FINISH', 3000, 'FINISH');
      assert.ok(factory.calls.includes(`destroy ${id}`));
      assert.equal(server.sessionCount(), 0, 'a retained DELETED session does not count');
      const detail = await call(server, 'GetSessionDetail', {}, { query: { SessionId: id } });
      assert.equal((detail.body.Data as Json).IsDeleted, 1);
      const got = await call(server, 'GetSession', { SessionId: id });
      assert.equal(got.status, 200);
      assert.equal((got.body.Data as Json).Status, 'DELETED');
      assert.equal((got.body.Data as Json).SessionId, id);
    });

    it('forgets a deleted session after the retention window (and at once with retention 0)', async () => {
      await server.close();
      ({ server, factory } = await startFakeServer({ deletedRetentionMs: 400 }));
      const kept = await createSession(server);
      await call(server, 'DeleteSessionAsync', { SessionId: kept });
      await waitFor(async () => (await status(server, kept)) === 'FINISH', 3000, 'FINISH');
      await waitFor(async () => (await status(server, kept)) === 'InvalidMcpSession.NotFound', 3000, 'forgotten');
      const listed = await call(server, 'ListSession', { Labels: '{}', Status: 'DELETED' });
      assert.deepEqual(listed.body.Data, []);
      await server.close();
      ({ server, factory } = await startFakeServer({ deletedRetentionMs: 0 }));
      const gone = await createSession(server);
      await call(server, 'DeleteSessionAsync', { SessionId: gone });
      await waitFor(async () => (await status(server, gone)) === 'InvalidMcpSession.NotFound', 3000, 'NotFound');
    });

    it('ReleaseMcpSession deletes too, and repeating a delete while DELETING is accepted', async () => {
      const id = await createSession(server);
      assert.equal((await call(server, 'ReleaseMcpSession', { SessionId: id })).status, 200);
      assert.equal((await call(server, 'DeleteSessionAsync', { SessionId: id })).status, 200);
      await waitFor(async () => (await status(server, id)) === 'FINISH', 3000, 'FINISH');
      assert.equal(factory.calls.filter((c) => c === `destroy ${id}`).length, 1);
    });

    it('answers InvalidMcpSession.NotFound for every other Action on a deleted session, and all on an unknown one', async () => {
      const id = await createSession(server);
      await call(server, 'DeleteSessionAsync', { SessionId: id });
      await waitFor(async () => server.sessionCount() === 0, 3000, 'deletion');
      const queries: Array<[string, Record<string, string>]> = [
        ['GetSession', {}],
        ['GetSessionDetail', {}],
      ];
      const actions: Array<[string, Record<string, string>]> = [
        ['GetMcpResource', {}],
        ['DeleteSessionAsync', {}],
        ['ReleaseMcpSession', {}],
        ['PauseSessionAsync', {}],
        ['ResumeSessionAsync', {}],
        ['GetLabel', {}],
        ['SetLabel', { Labels: '{"a":"b"}' }],
        ['GetLink', {}],
        ['CallMcpTool', { Name: 'echo', Args: '{}', AutoGenSession: 'false' }],
        ['GetContextInfo', {}],
      ];
      for (const [action, params] of queries) {
        assert.equal((await call(server, action, { SessionId: id, ...params })).status, 200, `${action} still answers for the deleted session`);
      }
      for (const sessionId of [id, 'session-doesnotexist00']) {
        for (const [action, params] of sessionId === id ? actions : [...queries, ...actions]) {
          const res = await call(server, action, { SessionId: sessionId, ...params });
          assert.equal(res.status, 400, `${action}: ${res.text}`);
          assert.equal(res.body.Code, 'InvalidMcpSession.NotFound', action);
        }
      }
      assert.equal(server.sessionCount(), 0, 'no session was created implicitly');
    });

    it('refuses tool calls on a DELETING session and aborts a running one', async () => {
      const id = await createSession(server);
      const running = call(server, 'CallMcpTool', { SessionId: id, Name: 'block', Args: '{}' });
      await waitFor(() => factory.calls.includes(`callTool ${id} block`), 3000, 'tool start');
      await call(server, 'DeleteSessionAsync', { SessionId: id });
      const blocked = await running;
      assert.equal(blocked.body.Code, 'InvalidMcpSession.NotFound');
      const later = await call(server, 'CallMcpTool', { SessionId: id, Name: 'echo', Args: '{}' });
      assert.equal(later.body.Code, 'InvalidMcpSession.NotFound');
    });
  });

  describe('pause and resume', () => {
    it('goes RUNNING → PAUSING → PAUSED → RESUMING → RUNNING and calls the sandbox', async () => {
      const id = await createSession(server);
      assert.equal((await call(server, 'PauseSessionAsync', { SessionId: id })).status, 200);
      const session = await call(server, 'GetSession', { SessionId: id });
      assert.equal((session.body.Data as Json).Status, 'PAUSING');
      await waitFor(async () => (await status(server, id)) === 'PAUSED', 3000, 'PAUSED');
      assert.ok(factory.calls.includes(`pause ${id}`));

      const refused = await call(server, 'CallMcpTool', { SessionId: id, Name: 'echo', Args: '{}' });
      assert.equal(refused.body.Code, 'InvalidSessionStatus');

      assert.equal((await call(server, 'ResumeSessionAsync', { SessionId: id })).status, 200);
      assert.equal(await status(server, id), 'RESUMING');
      await waitFor(async () => (await status(server, id)) === 'RUNNING', 3000, 'RUNNING');
      assert.ok(factory.calls.includes(`resume ${id}`));
    });

    it('refuses pause and resume in the wrong state with InvalidSessionStatus', async () => {
      const id = await createSession(server);
      const resume = await call(server, 'ResumeSessionAsync', { SessionId: id });
      assert.equal(resume.status, 400);
      assert.equal(resume.body.Code, 'InvalidSessionStatus');
      assert.match(String(resume.body.Message), /RUNNING.*PAUSED/);
      await call(server, 'PauseSessionAsync', { SessionId: id });
      const again = await call(server, 'PauseSessionAsync', { SessionId: id });
      assert.equal(again.body.Code, 'InvalidSessionStatus');
    });
  });

  describe('GetContextInfo', () => {
    it('answers ContextStatus "[]" for a session without PersistenceDataList', async () => {
      const id = await createSession(server);
      const res = await call(server, 'GetContextInfo', { SessionId: id });
      assert.deepEqual(res.body.Data, { ContextStatus: '[]' });
    });

    it('reports PersistenceDataList downloads in progress, then Success', async () => {
      const made = await call(server, 'GetContext', { Name: 'sessions-ctx', AllowCreate: 'true' });
      const contextId = String((made.body.Data as Json).Id);
      const list = [{ ContextId: contextId, Path: '/home/wuying/a', Policy: '{"uploadPolicy":{"autoUpload":true}}' }];
      const id = await createSession(server, { PersistenceDataList: JSON.stringify(list) });
      const read = async (): Promise<Json[]> => {
        const res = await call(server, 'GetContextInfo', { SessionId: id });
        const text = (res.body.Data as Json).ContextStatus;
        assert.equal(typeof text, 'string');
        const outer = JSON.parse(String(text)) as Json[];
        assert.equal(outer[0].type, 'data');
        assert.equal(typeof outer[0].data, 'string');
        return JSON.parse(String(outer[0].data)) as Json[];
      };
      const first = await read();
      assert.equal(first.length, 1);
      assert.equal(first[0].contextId, contextId);
      assert.equal(first[0].path, '/home/wuying/a');
      assert.equal(first[0].taskType, 'download');
      assert.notEqual(first[0].status, 'Success');
      assert.notEqual(first[0].status, 'Failed');
      await sleep(400);
      const later = await read();
      assert.equal(later[0].status, 'Success');
      assert.equal(typeof later[0].finishTime, 'number');
    });
  });
});

describe('local server: idle reaping and shutdown', () => {
  it('deletes sessions idle for idleTimeoutMs, but not busy ones', async () => {
    const { server, factory } = await startFakeServer({ idleTimeoutMs: 300 });
    try {
      const idle = await createSession(server);
      const busy = await createSession(server);
      const running = call(server, 'CallMcpTool', { SessionId: busy, Name: 'block', Args: '{}' });
      await waitFor(() => factory.calls.includes(`destroy ${idle}`), 3000, 'idle session reaped');
      assert.equal(factory.calls.includes(`destroy ${busy}`), false);
      await server.close();
      assert.equal((await running).body.Code, 'InvalidMcpSession.NotFound');
    } finally {
      await server.close();
    }
  });

  it('keeps sessions alive while they get requests, and 0 disables reaping', async () => {
    const { server, factory } = await startFakeServer({ idleTimeoutMs: 0 });
    try {
      await createSession(server);
      await sleep(200);
      assert.equal(server.sessionCount(), 1);
      assert.equal(factory.calls.filter((c) => c.startsWith('destroy')).length, 0);
    } finally {
      await server.close();
    }
  });

  it('close() destroys every session and is idempotent', async () => {
    const { server, factory } = await startFakeServer();
    const a = await createSession(server);
    const b = await createSession(server);
    await Promise.all([server.close(), server.close()]);
    assert.ok(factory.calls.includes(`destroy ${a}`));
    assert.ok(factory.calls.includes(`destroy ${b}`));
    assert.equal(server.sessionCount(), 0);
  });
});
