/**
 * Each session's Chromium runs as its own user when the server runs as root: its processes' uids and gids (read
 * from /proc/<pid>/status) differ from the server's and from another session's browser, its profile directory is
 * its own (owner, mode 0700, unreadable to the session's commands), a file it downloads is readable by the
 * session's commands while it cannot save into /home/wuying itself, and uids are given back with their session. Over real HTTP with a real Chromium. A server that is not root cannot switch users: the
 * suite is then skipped, and test/local-server/cli.test.ts checks the banner says so.
 */
import { strict as assert } from 'node:assert';
import { existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import type { LocalServer } from '../../../local-server/server';
import { startTestServer } from '../../support/local-server';
import { browserProcesses, markerSwitch } from '../../support/browser';
import { request, type Json } from '../../support/local-server-wire';
import { waitFor } from '../../support/wait';

const IS_ROOT = process.getuid?.() === 0;
const PROFILE = '/tmp/agentbay_browser';
const DOWNLOAD_NAME = 'agentbay-report.txt';
const DOWNLOAD_BODY = 'downloaded by the session browser\n';
/** A small range of our own, so the test knows which ids to expect: its first id is the browsers' gid. */
const UIDS = { first: 1_999_500_000, count: 16 };

function call(server: LocalServer, action: string, form: Record<string, string>): Promise<{ status: number; body: Json }> {
  return request(server, { query: { Action: action }, form: { Authorization: `Bearer ${server.apiKey}`, ...form } });
}

async function createSession(server: LocalServer): Promise<string> {
  const created = await call(server, 'CreateMcpSession', { ImageId: 'browser_latest' });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return (created.body.Data as Json).SessionId as string;
}

async function shell(server: LocalServer, sessionId: string, command: string): Promise<{ stdout: string; stderr: string; exit_code: number }> {
  const answer = await call(server, 'CallMcpTool', { SessionId: sessionId, Name: 'shell', Args: JSON.stringify({ command, timeout_ms: 20_000 }) });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const data = answer.body.Data as { content: Array<{ text: string }> };
  return JSON.parse(data.content[0]!.text) as { stdout: string; stderr: string; exit_code: number };
}

/** Real, effective, saved and filesystem uid (and gid) of a process, and its supplementary groups. */
function credentials(pid: number): { uids: number[]; gids: number[]; groups: string } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
  const ids = (name: string): number[] => (new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(status)?.[1] ?? '').trim().split(/\s+/).map(Number);
  return { uids: ids('Uid'), gids: ids('Gid'), groups: (/^Groups:[ \t]*(.*)$/m.exec(status)?.[1] ?? '').trim() };
}

/** The single uid and gid every live process of the browser started with `marker` runs as. */
function browserCredentials(marker: string): { uid: number; gid: number; count: number } {
  const all = browserProcesses(marker).map(credentials).filter((c) => c !== undefined);
  assert.ok(all.length >= 2, `bubblewrap and Chromium run with the marker (found ${all.length})`);
  const uids = new Set(all.flatMap((c) => c.uids));
  const gids = new Set(all.flatMap((c) => c.gids));
  assert.equal(uids.size, 1, `one uid for every process and every uid field: ${[...uids].join(', ')}`);
  assert.equal(gids.size, 1, `one gid for every process and every gid field: ${[...gids].join(', ')}`);
  assert.deepEqual([...new Set(all.map((c) => c.groups))], [''], 'no supplementary groups');
  return { uid: [...uids][0]!, gid: [...gids][0]!, count: all.length };
}

function serveDownload(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${DOWNLOAD_NAME}"`, connection: 'close' });
    res.end(DOWNLOAD_BODY);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`,
    close: () => new Promise<void>((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  })));
}

describe('local server: each session\'s browser runs as its own user (server running as root)', function () {
  this.timeout(180_000);
  let server: LocalServer;
  const sessions: string[] = [];
  const markers = [markerSwitch(), markerSwitch()];

  before(async function () {
    // Only root can switch users; a server that is not root keeps the browser as the command user (cli.test.ts).
    if (!IS_ROOT) this.skip();
    server = await startTestServer({ browserUids: UIDS });
    for (const marker of markers) {
      const sessionId = await createSession(server);
      sessions.push(sessionId);
      const init = await call(server, 'InitBrowser', {
        SessionId: sessionId,
        PersistentPath: PROFILE,
        BrowserOption: JSON.stringify({ cmdArgs: [marker] }),
      });
      assert.equal(init.status, 200, JSON.stringify(init.body));
    }
  });
  after(async () => {
    await server?.close();
  });

  const profileHost = (sessionId: string): string => path.join(server.dataDir, 'sessions', sessionId, 'tmp', 'agentbay_browser');

  it('runs every process of a session\'s browser under a uid of the range, not the server\'s, and another session\'s under another', () => {
    const first = browserCredentials(markers[0]!);
    const second = browserCredentials(markers[1]!);
    for (const ids of [first, second]) {
      assert.notEqual(ids.uid, process.getuid?.());
      assert.ok(ids.uid > UIDS.first && ids.uid < UIDS.first + UIDS.count, `uid ${ids.uid} is from the configured range`);
      assert.equal(ids.gid, UIDS.first, 'the browsers\' gid, not the server\'s');
    }
    assert.notEqual(first.uid, second.uid);
    assert.equal(server.browserUsers, 'its own user per session (uids 1999500001-1999500015, gid 1999500000)');
  });

  it('gives the browser its profile directory alone: owned by its uid, mode 0700, and the session\'s commands cannot list it', async () => {
    const { uid, gid } = browserCredentials(markers[0]!);
    const profile = statSync(profileHost(sessions[0]!));
    assert.deepEqual([profile.uid, profile.gid, profile.mode & 0o7777], [uid, gid, 0o700]);
    // Chromium has written its profile: files below are its own too.
    const local = lstatSync(path.join(profileHost(sessions[0]!), 'Local State'));
    assert.equal(local.uid, uid);
    const listed = await shell(server, sessions[0]!, `ls ${PROFILE}`);
    assert.notEqual(listed.exit_code, 0);
    assert.match(listed.stderr, /Permission denied/);
  });

  it('saves a download in /home/wuying/Downloads, where the session\'s commands read it', async () => {
    const download = await serveDownload();
    try {
      // A navigation that ends in a download aborts; the file is saved to Chromium's default directory.
      await call(server, 'CallMcpTool', { SessionId: sessions[1]!, Name: 'page_use_navigate', Args: JSON.stringify({ url: download.url }) });
      const file = `/home/wuying/Downloads/${DOWNLOAD_NAME}`;
      await waitFor(async () => (await shell(server, sessions[1]!, `test -f ${file}`)).exit_code === 0, 30_000, 'the download to be saved');
      // The browser wrote it (seen from the host: inside the command sandbox other uids are unmapped).
      const saved = statSync(path.join(server.dataDir, 'sessions', sessions[1]!, 'home', 'wuying', 'Downloads', DOWNLOAD_NAME));
      assert.equal(saved.uid, browserCredentials(markers[1]!).uid);
      assert.notEqual(saved.uid, process.getuid?.());
      const read = await shell(server, sessions[1]!, `cat ${file} && rm ${file}`);
      assert.equal(read.exit_code, 0, read.stderr);
      assert.equal(read.stdout, DOWNLOAD_BODY);
    } finally {
      await download.close();
    }
  });

  it('lets the browser save nowhere but in its own directories: a download into /home/wuying itself is refused', async () => {
    const download = await serveDownload();
    const link = await call(server, 'GetCdpLink', { SessionId: sessions[1]! });
    const browser = await chromium.connectOverCDP((link.body.Data as Json).Url as string, { timeout: 30_000 });
    try {
      const cdp = await browser.newBrowserCDPSession();
      // How a download of the page into `downloadPath` ends: `completed` or `canceled`.
      const outcome = (downloadPath: string): Promise<string> => new Promise((resolve) => {
        const onProgress = (event: { state: string }): void => {
          if (event.state === 'inProgress') return;
          cdp.off('Browser.downloadProgress', onProgress);
          resolve(event.state);
        };
        cdp.on('Browser.downloadProgress', onProgress);
        void cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath, eventsEnabled: true })
          .then(() => call(server, 'CallMcpTool', { SessionId: sessions[1]!, Name: 'page_use_navigate', Args: JSON.stringify({ url: download.url }) }));
      });
      const home = path.join(server.dataDir, 'sessions', sessions[1]!, 'home', 'wuying');
      assert.equal(await outcome('/home/wuying'), 'canceled');
      assert.equal(existsSync(path.join(home, DOWNLOAD_NAME)), false);
      assert.equal(await outcome('/home/wuying/Downloads'), 'completed', 'the same download into Downloads succeeds');
      assert.equal(readFileSync(path.join(home, 'Downloads', DOWNLOAD_NAME), 'utf8'), DOWNLOAD_BODY);
    } finally {
      await browser.close().catch(() => undefined);
      await download.close();
    }
  });

  it('gives a session\'s uid back when the session is deleted', async () => {
    const { uid } = browserCredentials(markers[0]!);
    const sessionsBefore = server.sessionCount();
    const deleted = await call(server, 'DeleteSessionAsync', { SessionId: sessions[0]! });
    assert.equal(deleted.status, 200);
    await waitFor(() => server.sessionCount() < sessionsBefore, 20_000, 'the first session to be deleted');
    assert.deepEqual(browserProcesses(markers[0]!), []);
    const marker = markerSwitch();
    const sessionId = await createSession(server);
    const init = await call(server, 'InitBrowser', { SessionId: sessionId, BrowserOption: JSON.stringify({ cmdArgs: [marker] }) });
    assert.equal(init.status, 200, JSON.stringify(init.body));
    assert.equal(browserCredentials(marker).uid, uid);
    assert.ok(uid > UIDS.first && uid < UIDS.first + UIDS.count, `uid ${uid} is from the configured range`);
    await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
  });

  it('refuses a profile that is the session\'s /tmp or home itself (it would become the browser\'s alone)', async () => {
    const sessionId = await createSession(server);
    for (const persistentPath of ['/tmp', '/home/wuying', '/home/wuying/Downloads']) {
      const init = await call(server, 'InitBrowser', { SessionId: sessionId, PersistentPath: persistentPath, BrowserOption: '{}' });
      assert.equal(init.status, 400, persistentPath);
      assert.match(String(init.body.Message), /^Invalid parameter PersistentPath: the browser runs as its own user .* not \/(tmp|home\/wuying(\/Downloads)?) itself\.$/);
    }
    const home = await shell(server, sessionId, 'touch /home/wuying/still-mine /tmp/still-mine && echo ok');
    assert.equal(home.stdout.trim(), 'ok', home.stderr);
    await call(server, 'DeleteSessionAsync', { SessionId: sessionId });
  });

  it('answers 503 naming the range when every browser uid is taken, and takes a deleted session\'s uid again', async () => {
    const small = await startTestServer({ browserUids: { first: 1_999_600_000, count: 3 } });
    try {
      // A refused PersistentPath still takes the session's uid (it is taken before the profile is checked): no browser needed.
      const initRefused = async (sessionId: string): Promise<{ status: number; body: Json }> =>
        call(small, 'InitBrowser', { SessionId: sessionId, PersistentPath: '/tmp', BrowserOption: '{}' });
      const held = [await createSession(small), await createSession(small)];
      for (const sessionId of held) assert.equal((await initRefused(sessionId)).status, 400);
      const third = await createSession(small);
      const refused = await initRefused(third);
      assert.equal(refused.status, 503);
      assert.equal(refused.body.Code, 'ServiceUnavailable');
      assert.match(String(refused.body.Message), /all 2 browser user ids \(1999600001-1999600002\) are in use by other sessions; delete other browser sessions or widen --browser-uids/);
      const sessionsBefore = small.sessionCount();
      await call(small, 'DeleteSessionAsync', { SessionId: held[0]! });
      await waitFor(() => small.sessionCount() < sessionsBefore, 20_000, 'the session to be deleted');
      assert.equal((await initRefused(third)).status, 400, 'the freed uid is taken; the profile check answers again');
    } finally {
      await small.close();
    }
  });
});
