/**
 * The protocol layer on the real sandbox (createWorkspaceFactory): one directory per session
 * under the data dir, removed on delete.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalServer, type LocalServer } from '../../../local-server/server';
import { call, createSession, type Json } from '../../support/local-server-wire';
import { waitFor } from '../../support/wait';

describe('local server: real sandbox integration', () => {
  let server: LocalServer;
  let dataDir: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'agentbay-int-'));
    server = await startLocalServer({ port: 0, dataDir, deleteDelayMs: 50 });
  });
  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports its isolation mode', () => {
    assert.ok(server.isolation === 'bubblewrap' || server.isolation === 'process');
    assert.equal(typeof server.isolationNote, 'string');
  });

  it('gives each session its own directory and removes it on delete', async () => {
    const a = await createSession(server);
    const b = await createSession(server);
    const sessionsDir = path.join(dataDir, 'sessions');
    const dirs = await readdir(sessionsDir);
    assert.ok(dirs.includes(a), `${a} in ${dirs.join(',')}`);
    assert.ok(dirs.includes(b));
    await call(server, 'DeleteSessionAsync', { SessionId: a });
    await waitFor(async () => ((await call(server, 'GetSession', { SessionId: a })).body.Data as Json | undefined)?.Status === 'DELETED', 5000, 'deletion');
    assert.equal(existsSync(path.join(sessionsDir, a)), false);
    assert.equal(existsSync(path.join(sessionsDir, b)), true);
  });

  it('runs a shell command through CallMcpTool', async () => {
    const id = await createSession(server);
    const res = await call(server, 'CallMcpTool', {
      SessionId: id,
      Name: 'shell',
      Args: JSON.stringify({ command: 'echo hello-local', timeout_ms: 5000 }),
      Server: '',
      AutoGenSession: 'false',
    });
    assert.equal(res.status, 200, res.text);
    const data = res.body.Data as { content: Array<{ text: string }>; isError: boolean };
    assert.equal(data.isError, false, JSON.stringify(data));
    assert.match(data.content[0].text, /hello-local/);
  });
});
