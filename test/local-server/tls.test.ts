/**
 * HTTPS and HTTP on one port: the official SDK always speaks HTTPS to its endpoint, so the local
 * server answers both, and the SDK needs only environment settings (endpoint, key, trusted CA).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { Agent, request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { readFile } from 'node:fs/promises';
import type { LocalServer } from '../../local-server/server';
import { startTestServer, TEST_API_KEY } from '../support/local-server';

function postHttps(
  server: LocalServer,
  ca: Buffer | undefined,
  action: string,
  agent?: Agent,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = `Authorization=${encodeURIComponent(`Bearer ${TEST_API_KEY}`)}`;
    const req = httpsRequest(
      `https://${server.endpoint}/?Action=${action}`,
      { method: 'POST', ca, agent, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The SDK's RPC core in a fresh Node process, as the SDK drives it: protocol left at its HTTPS
 * default, the server's certificate trusted only through NODE_EXTRA_CA_CERTS (read at start-up).
 */
function sdkCoreListSessions(server: LocalServer, extraCaFile: string | undefined): Promise<string> {
  const script = `
    const OpenApi = require('@alicloud/openapi-core');
    const { $OpenApiUtil, OpenApiUtil } = OpenApi;
    const $dara = require('@darabonba/typescript');
    class Client extends OpenApi.default {
      constructor(config) { super(config); this._signatureAlgorithm = 'v2'; this._endpointRule = ''; this.checkConfig(config); }
    }
    const client = new Client(new $OpenApiUtil.Config({ endpoint: process.env.ENDPOINT, regionId: '' }));
    const params = new $OpenApiUtil.Params({ action: 'ListSession', version: '2025-05-06', protocol: 'HTTPS', pathname: '/',
      method: 'POST', authType: 'Anonymous', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
    const req = new $OpenApiUtil.OpenApiRequest({ body: OpenApiUtil.parseToMap({ Authorization: 'Bearer ' + process.env.KEY }) });
    client.callApi(params, req, new $dara.RuntimeOptions({})).then(
      (r) => { process.stdout.write(JSON.stringify(r.body)); },
      (e) => { process.stdout.write('ERROR ' + (e && e.message)); },
    );`;
  const env: NodeJS.ProcessEnv = { ...process.env, ENDPOINT: server.endpoint, KEY: TEST_API_KEY };
  delete env.NODE_EXTRA_CA_CERTS;
  if (extraCaFile) env.NODE_EXTRA_CA_CERTS = extraCaFile;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], { env, timeout: 30_000 }, (error, stdout) =>
      error ? reject(error) : resolve(String(stdout)),
    );
  });
}

describe('local server: HTTPS beside HTTP on one port', function () {
  let server: LocalServer;

  before(async () => {
    server = await startTestServer({ tls: true });
  });
  after(() => server.close());

  it('answers HTTPS with its self-signed certificate, and plain HTTP, on the same port', async () => {
    assert.ok(server.tlsCertFile, 'the server names its certificate file');
    const ca = await readFile(server.tlsCertFile);
    const secure = await postHttps(server, ca, 'ListSession');
    assert.equal(secure.status, 200);
    assert.equal(JSON.parse(secure.body).Success, true);
    const plain = await fetch(`${server.url}/?Action=ListSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Authorization=${encodeURIComponent(`Bearer ${TEST_API_KEY}`)}`,
    });
    assert.equal(plain.status, 200);
    assert.equal(((await plain.json()) as { Success: boolean }).Success, true);
  });

  it('refuses an HTTPS client that does not trust the certificate', async () => {
    await assert.rejects(postHttps(server, undefined, 'ListSession'), /self[- ]signed|unable to verify|certificate/i);
  });

  it("works with the SDK's RPC core unchanged, given NODE_EXTRA_CA_CERTS", async () => {
    const trusted = await sdkCoreListSessions(server, server.tlsCertFile);
    const body = JSON.parse(trusted) as { Success: boolean; Code: string };
    assert.equal(body.Success, true, trusted);
    const untrusted = await sdkCoreListSessions(server, undefined);
    assert.match(untrusted, /^ERROR .*(certificate|self[- ]signed)/i);
  });

  it('closes at once with keep-alive connections and a connection that has sent nothing yet', async function () {
    // Without its own bookkeeping the server would wait for the keep-alive timeout (65 s).
    this.timeout(15_000);
    const other = await startTestServer({ tls: true });
    const ca = await readFile(String(other.tlsCertFile));
    const keepAlive = new Agent({ keepAlive: true, ca });
    await postHttps(other, ca, 'ListSession', keepAlive);
    const plain = await fetch(`${other.url}/?Action=ListSession`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Authorization=${encodeURIComponent(`Bearer ${TEST_API_KEY}`)}`,
    });
    await plain.text();
    const [host, port] = [other.endpoint.slice(0, other.endpoint.lastIndexOf(':')), Number(other.endpoint.split(':').pop())];
    const silent = connect(port, host);
    await new Promise<void>((resolve) => silent.once('connect', () => resolve()));
    const silentClosed = new Promise<void>((resolve) => silent.once('close', () => resolve()));
    await other.close();
    await silentClosed;
    keepAlive.destroy();
  });

  it('keeps HTTPS off unless asked', async () => {
    const plainOnly = await startTestServer();
    try {
      assert.equal(plainOnly.tlsCertFile, undefined);
      await assert.rejects(postHttps(plainOnly, undefined, 'ListSession'));
    } finally {
      await plainOnly.close();
    }
  });
});
