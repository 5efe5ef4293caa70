/**
 * Hostile wire input against the local server over real HTTP: prototype keys in form, query and
 * JSON-string parameters, loose numbers, HTTP-level errors as JSON envelopes, and search_files
 * patterns that used to freeze the server's only thread.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import * as path from 'node:path';
import type { LocalServer } from '../../../local-server/server';
import { startTestServer } from '../../support/local-server';
import { call, createSession, request, startFakeServer, type Json, type RawResponse } from '../../support/local-server-wire';
import { errText, harness, okText, type Harness } from '../../support/sandbox';
import { sleep, waitFor } from '../../support/wait';

const UUID_UPPER = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function assertEnvelope(res: { status: number; body: Json }, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.Success, false);
  assert.equal(res.body.Code, code);
  assert.match(String(res.body.RequestId), UUID_UPPER);
  assert.equal(typeof res.body.Message, 'string');
}

function assertInvalidParameter(res: RawResponse, naming: string): void {
  assertEnvelope(res, 400, 'InvalidParameter');
  assert.ok(String(res.body.Message).includes(naming), `"${String(res.body.Message)}" names ${naming}`);
}

/** Nothing reached Object.prototype in this process (the server runs in it). */
function assertPrototypeClean(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.Authorization, undefined);
  assert.equal(probe.polluted, undefined);
  assert.deepEqual(Object.keys(Object.prototype), []);
}

/** Writes `text` on a raw socket and returns everything the server sends back until it closes. */
function rawHttp(server: LocalServer, text: string): Promise<{ status: number; body: Json; raw: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let raw = '';
    socket.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    // The server may close while we still write: what it answered is what counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
      const bodyText = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      try {
        resolve({ status, body: JSON.parse(bodyText) as Json, raw });
      } catch {
        reject(new Error(`not a JSON answer: ${raw.slice(0, 300)}`));
      }
    });
    socket.write(text);
  });
}

describe('local server: hostile input', () => {
  describe('prototype keys and strict numbers', () => {
    let server: LocalServer;

    before(async () => {
      ({ server } = await startFakeServer({ maxBodyBytes: 64 * 1024 }));
    });
    after(async () => {
      await server.close();
    });
    afterEach(() => assertPrototypeClean());

    async function assertKeyStillRequired(): Promise<void> {
      assertEnvelope(await call(server, 'ListSession', {}, { key: null }), 401, 'InvalidApiKey');
    }

    const bearer = (): string => `Bearer ${server.apiKey}`;

    it('refuses a flattened ExtraConfigs.__proto__ key in the form body, and the key stays required', async () => {
      const res = await call(server, 'CreateMcpSession', { 'ExtraConfigs.__proto__.Authorization': bearer() });
      assertInvalidParameter(res, 'ExtraConfigs.__proto__.Authorization');
      assert.match(String(res.body.Message), /"__proto__" is not allowed/);
      assert.equal(server.sessionCount(), 0);
      await assertKeyStillRequired();
    });

    it('refuses __proto__ keys in the query string, nested or at the top', async () => {
      for (const key of ['ExtraConfigs.__proto__.Authorization', '__proto__.Authorization', '__proto__']) {
        const res = await call(server, 'CreateMcpSession', {}, { query: { [key]: bearer() } });
        assertInvalidParameter(res, key);
      }
      await assertKeyStillRequired();
    });

    it('refuses constructor.prototype paths', async () => {
      for (const key of ['ExtraConfigs.constructor.prototype.Authorization', 'ExtraConfigs.a.constructor.prototype.Authorization', 'constructor']) {
        assertInvalidParameter(await call(server, 'CreateMcpSession', { [key]: bearer() }), key);
      }
      await assertKeyStillRequired();
    });

    it('refuses prototype keys inside JSON-string parameters, naming the parameter', async () => {
      const sessionId = await createSession(server);
      const cases: [string, Record<string, string>][] = [
        ['ExtraConfigs', { ExtraConfigs: `{"__proto__":{"Authorization":"${bearer()}"}}` }],
        ['ExtraConfigs', { ExtraConfigs: '{"Mobile":{"constructor":{"prototype":{"polluted":"yes"}}}}' }],
        ['Labels', { Labels: '{"__proto__":"x"}' }],
        ['PersistenceDataList', { PersistenceDataList: '[{"ContextId":"c","Path":"/p","Policy":"{\\"__proto__\\":{\\"polluted\\":1}}"}]' }],
        ['SdkStats', { SdkStats: '{"prototype":{}}' }],
      ];
      for (const [name, params] of cases) assertInvalidParameter(await call(server, 'CreateMcpSession', params), name);
      assertInvalidParameter(await call(server, 'SetLabel', { SessionId: sessionId, Labels: '{"constructor":"x"}' }), 'Labels');
      assertInvalidParameter(await call(server, 'ListSession', { Labels: '{"__proto__":"x"}' }), 'Labels');
      assertInvalidParameter(
        await call(server, 'CallMcpTool', { SessionId: sessionId, Name: 'echo', Args: '{"a":{"__proto__":{"polluted":1}}}' }),
        'Args',
      );
      await assertKeyStillRequired();
    });

    it('keeps label keys that are Object.prototype method names as plain data', async () => {
      const sessionId = await createSession(server, { Labels: '{"toString":"a","hasOwnProperty":"b"}' });
      const labels = await call(server, 'GetLabel', { SessionId: sessionId });
      assert.deepEqual(JSON.parse(String((labels.body.Data as Json).Labels)), { toString: 'a', hasOwnProperty: 'b' });
      const listed = await call(server, 'ListSession', { Labels: '{"hasOwnProperty":"b"}' });
      assert.deepEqual((listed.body.Data as Json[]).map((s) => s.SessionId), [sessionId]);
    });

    it('refuses MaxResults that is not plain decimal digits, naming MaxResults', async () => {
      for (const value of ['1e309', '0x10', '-1', '1.5', ' 10', '10 ', '1e1', '010', '+5', '99999999999999999999']) {
        assertInvalidParameter(await call(server, 'ListSession', { MaxResults: value }), 'MaxResults');
      }
      const ok = await call(server, 'ListSession', { MaxResults: '10' });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.MaxResults, 10);
    });

    it('applies the same rule to every numeric wire parameter and to NextToken', async () => {
      const sessionId = await createSession(server);
      assertInvalidParameter(await call(server, 'GetLabel', { SessionId: sessionId, MaxResults: '0x10' }), 'MaxResults');
      assertInvalidParameter(await call(server, 'GetLink', { SessionId: sessionId, Port: '3.0150e4' }), 'Port');
      assert.equal((await call(server, 'GetLink', { SessionId: sessionId, Port: '30150' })).status, 200);
      const hexToken = Buffer.from('ls1:0x1', 'utf8').toString('base64url');
      assertInvalidParameter(await call(server, 'ListSession', { NextToken: hexToken }), 'NextToken');
    });

    it('answers a 20 KB URL with 431 and a JSON envelope', async () => {
      const res = await request(server, { path: `/?Action=ListSession&Pad=${'a'.repeat(20 * 1024)}` });
      assertEnvelope(res, 431, 'RequestHeaderFieldsTooLarge');
      assert.match(String(res.headers['content-type']), /^application\/json/);
    });

    it('answers a body over the limit with 413 and a JSON envelope', async () => {
      const res = await call(server, 'ListSession', { Pad: 'x'.repeat(100 * 1024) });
      assertEnvelope(res, 413, 'RequestTooLarge');
    });

    it('answers malformed HTTP with 400 and a JSON envelope', async () => {
      const res = await rawHttp(server, 'THIS IS NOT HTTP\r\n\r\n');
      assert.equal(res.status, 400, res.raw);
      assert.equal(res.body.Success, false);
      assert.equal(res.body.Code, 'MalformedRequest');
      const badHeader = await rawHttp(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n');
      assert.equal(badHeader.status, 400, badHeader.raw);
      assert.equal(badHeader.body.Code, 'MalformedRequest');
      const badChunk = await rawHttp(
        server,
        'POST /?Action=ListSession HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nZZ\r\nxx\r\n0\r\n\r\n',
      );
      assert.equal(badChunk.status, 400, badChunk.raw);
      assert.equal(badChunk.body.Code, 'MalformedRequest');
      assert.equal((await call(server, 'ListSession')).status, 200, 'the server still serves');
    });

    it('answers other paths with a JSON envelope', async () => {
      const res = await request(server, { method: 'GET', path: '/nope' });
      assertEnvelope(res, 404, 'InvalidPath');
    });
  });

  describe('search_files cannot stall the server', () => {
    let server: LocalServer;
    let sessionId: string;
    const hostileExcludes = [`${'**/'.repeat(16)}${'**'.repeat(14)}zq`, `${'**/'.repeat(31)}x`];

    async function search(pattern: string, excludePatterns: string[] = []): Promise<{ isError: boolean; text: string }> {
      const res = await call(server, 'CallMcpTool', {
        SessionId: sessionId,
        Name: 'search_files',
        Args: JSON.stringify({ path: '/home/wuying/tree', pattern, excludePatterns }),
      });
      assert.equal(res.status, 200, res.text);
      const data = res.body.Data as { isError: boolean; content: { text: string }[] };
      return { isError: data.isError, text: data.content[0]?.text ?? '' };
    }

    before(async () => {
      server = await startTestServer();
      sessionId = await createSession(server);
      await fillTree(path.join(server.dataDir, 'sessions', sessionId, 'home', 'wuying', 'tree'));
    });
    after(async () => {
      await server.close();
    });

    it('keeps an unrelated ListSession under 100 ms while hostile searches run', async function () {
      this.timeout(120_000);
      let searching = true;
      const searches = (async () => {
        const started = Date.now();
        let runs = 0;
        // Back to back for a while, so the samples below all fall inside a search.
        while (Date.now() - started < 3000 || runs < 2) {
          const out = await search(hostilePattern, hostileExcludes);
          assert.equal(out.isError, false, out.text);
          assert.equal(out.text, '\n', 'nothing matches');
          runs++;
        }
        searching = false;
      })();
      const latencies: number[] = [];
      while (searching) {
        const t0 = performance.now();
        const res = await call(server, 'ListSession', {});
        const elapsed = performance.now() - t0;
        assert.equal(res.status, 200);
        if (searching) latencies.push(elapsed);
        await sleep(20);
      }
      await searches;
      latencies.sort((a, b) => a - b);
      assert.ok(latencies.length >= 10, `only ${latencies.length} samples during the searches`);
      // The acceptance bound; the 90th percentile leaves room for a stray GC pause or
      // another process on a shared CPU, a blocked event loop would fail nearly every sample.
      const p90 = latencies[Math.floor(latencies.length * 0.9)]!;
      assert.ok(p90 < 100, `ListSession p90 ${p90.toFixed(1)} ms over ${latencies.length} samples (all: ${latencies.map((l) => l.toFixed(0)).join(',')})`);
    });

    it('still finds what the documented wildcard rules match (`**` also matches no segment)', async () => {
      const out = await search('*-7.TXT');
      assert.equal(out.isError, false, out.text);
      const lines = out.text.split('\n').filter((l) => l !== '');
      assert.ok(lines.includes('/home/wuying/tree/flat/file-7.txt'), out.text);
      assert.ok(lines.every((l) => /-7\.txt$/.test(l)), out.text);
      const excluded = await search('*-7.txt', ['**/d*/**', 'flat']);
      assert.equal(excluded.text, '\n', 'every match lies under an excluded directory');
    });

    it('refuses patterns over the bounds with a clear tool error, promptly', async () => {
      const tooManyGlobstars = await search(`${'**/'.repeat(40)}x`); // the 40-`**` pattern, as segments
      assert.equal(tooManyGlobstars.isError, true);
      assert.match(tooManyGlobstars.text, /Invalid argument 'pattern'.*more than 32 '\/'-separated segments/);
      const tooLong = await search('*a'.repeat(600));
      assert.match(tooLong.text, /Invalid argument 'pattern'.*longer than 1024 characters/);
      const globstarsInOneSegment = await search(`x${'**'.repeat(33)}`);
      assert.match(globstarsInOneSegment.text, /more than 32 '\*\*'/);
      const excludes = await search('x', [`${'**/'.repeat(40)}x`]);
      assert.match(excludes.text, /Invalid argument 'excludePatterns'/);
      assert.match((await search('x', Array.from({ length: 65 }, (_, i) => `p${i}`))).text, /at most 64 patterns/);
    });

    it('closes while a hostile search is running', async () => {
      const other = await startTestServer();
      const id = await createSession(other);
      await fillTree(path.join(other.dataDir, 'sessions', id, 'home', 'wuying', 'tree'));
      const pending = call(other, 'CallMcpTool', {
        SessionId: id,
        Name: 'search_files',
        Args: JSON.stringify({ path: '/home/wuying/tree', pattern: hostilePattern, excludePatterns: hostileExcludes }),
      }).catch((err: unknown) => err);
      await sleep(50); // the search is under way (it runs for seconds), so close meets it running
      await other.close();
      await pending;
      assert.equal(other.sessionCount(), 0);
    });
  });

  describe('tool arguments handed to a workspace in-process', () => {
    let h: Harness;
    before(async () => {
      h = await harness('process');
    });
    after(async () => h.cleanup());

    it('refuses prototype keys in object and JSON-string arguments', async () => {
      const asObject = JSON.parse('{"path":"x","__proto__":{"polluted":1}}') as unknown;
      assert.match(errText(await h.ws.callTool('list_directory', asObject)), /Invalid arguments for list_directory: the key "__proto__" is not allowed/);
      const nested = { command: 'true', envs: JSON.parse('{"constructor":{"prototype":{"polluted":"1"}}}') as unknown };
      assert.match(errText(await h.ws.callTool('shell', nested)), /the key "envs\.constructor" is not allowed/);
      assert.match(errText(await h.ws.callTool('list_directory', '{"path":"x","prototype":1}')), /the key "prototype" is not allowed/);
      assertPrototypeClean();
    });

    it('refuses non-finite and out-of-range numbers', async () => {
      assert.match(errText(await h.ws.callTool('read_file', '{"path":"x","offset":1e309}')), /field 'offset' must be/);
      assert.match(errText(await h.ws.callTool('shell', { command: 'true', timeout_ms: 1e12 })), /field 'timeout_ms' must be <= 2147483647/);
      assert.match(errText(await h.ws.callTool('run_code', { code: '1', timeout_s: Number.POSITIVE_INFINITY })), /field 'timeout_s' must be/);
      okText(await h.ws.callTool('write_file', { path: 'n.txt', content: 'abc' }));
      assert.equal(okText(await h.ws.callTool('read_file', { path: 'n.txt', offset: 1, length: 1 })), 'b');
    });
  });

  describe('the CLI under a hostile search', () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });

    it('answers the old 40-`**` pattern promptly and still exits 0 on SIGTERM during a search', async function () {
      this.timeout(60_000);
      const cli = path.resolve(__dirname, '../../../local-server/cli.js');
      const proc = spawn(process.execPath, [cli, '--port', '0'], { env: { ...process.env, AGENTBAY_LOCAL_API_KEY: '' }, stdio: 'pipe' });
      child = proc;
      let out = '';
      proc.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      proc.stderr?.resume();
      const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
      await waitFor(
        () => {
          assert.equal(proc.exitCode, null, `CLI exited before it started: ${out}`);
          return out.includes('Press Ctrl+C');
        },
        15_000,
        () => `the CLI to start: ${out}`,
      );
      const field = (label: string): string => new RegExp(`${label}:\\s+(\\S+)`).exec(out)?.[1] ?? '';
      const url = new URL(field('URL'));
      const target = { url: url.origin, apiKey: field('API key') } as unknown as LocalServer;
      const id = await createSession(target);
      await fillTree(path.join(field('Data dir'), 'sessions', id, 'home', 'wuying', 'tree'));
      const callSearch = (pattern: string): Promise<RawResponse> =>
        call(target, 'CallMcpTool', { SessionId: id, Name: 'search_files', Args: JSON.stringify({ path: '/home/wuying/tree', pattern }) });

      // The pattern that never returned: 40 `**`, refused now, as are 40 `**` segments.
      for (const pattern of [`${'**'.repeat(40)}x`, `${'**/'.repeat(40)}x`]) {
        const old = await callSearch(pattern);
        assert.equal((old.body.Data as Json).isError, true, old.text);
        assert.match(JSON.stringify(old.body.Data), /Invalid argument 'pattern'/);
      }

      const running = callSearch(hostilePattern).catch((err: unknown) => err);
      await sleep(50); // the search is under way (it runs for seconds), so SIGTERM meets it running
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      await running;
    });
  });
});

/**
 * Within the bounds (24 `**` in one segment), and exponential for a backtracking regex: each `**` became `.*`,
 * and on a long name that does not end in "zq" every way of splitting it among them was tried.
 */
const hostilePattern = `${'**'.repeat(24)}*a*a*a*a*a*azq`;

/** 20 directories of 150 files, and one flat directory of 3000, with long names. */
async function fillTree(root: string): Promise<void> {
  const long = 'a'.repeat(120);
  const flat = path.join(root, 'flat');
  await mkdir(flat, { recursive: true });
  const writes: Promise<void>[] = [];
  for (let i = 0; i < 3000; i++) writes.push(writeFile(path.join(flat, i === 7 ? 'file-7.txt' : `${long}-${i}.txt`), ''));
  for (let d = 0; d < 20; d++) {
    const dir = path.join(root, `d${d}`, 'a', 'b', 'c');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 150; i++) writes.push(writeFile(path.join(dir, `${long}-${d}-${i}.txt`), ''));
  }
  await Promise.all(writes);
}
