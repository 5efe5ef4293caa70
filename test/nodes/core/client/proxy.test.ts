/**
 * Calls through an HTTP proxy: a small forward proxy on loopback (absolute-URI requests and
 * CONNECT tunnels, counting what passed) between the client and the local server, over HTTP and
 * HTTPS; the environment variables, NO_PROXY, the connection's own Proxy setting, proxy
 * credentials and an unreachable proxy. Also the Node-RED config node's Proxy credential.
 */
import { strict as assert } from 'node:assert';
import * as net from 'node:net';
import { readFile } from 'node:fs/promises';
import { NodeApiError } from 'n8n-workflow';
import type { LocalServer } from '../../../../local-server/server';
import { AgentBayClient } from '../../../../nodes/core/client/client';
import { AgentBayError } from '../../../../nodes/core/client/errors';
import { shouldProxy } from '../../../../nodes/core/client/proxy';
import { AxiosTransport } from '../../../../nodes/core/client/transport';
import { AgentBayApi } from '../../../../credentials/AgentBayApi.credentials';
import { connectionFor, startTestServer } from '../../../support/local-server';
import { executeN8nNode } from '../../../support/n8n';
import { catchNodeModule, CONFIG_ID, helper, packageNodeModules, TAB_ID, type Message } from '../../../support/node-red';
import { startForwardProxy, type ForwardProxy } from '../../../support/forward-proxy';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'no_proxy', 'all_proxy', 'npm_config_proxy', 'npm_config_http_proxy', 'npm_config_https_proxy', 'npm_config_no_proxy'];

describe('HTTP proxy', () => {
  let server: LocalServer;
  let ca: Buffer;
  const saved: Record<string, string | undefined> = {};
  const proxies: ForwardProxy[] = [];
  const clients: AgentBayClient[] = [];
  const transports: AxiosTransport[] = [];

  before(async () => {
    server = await startTestServer({ tls: true });
    ca = await readFile(server.tlsCertFile ?? '');
  });
  after(() => server.close());

  beforeEach(() => {
    for (const name of PROXY_VARIABLES.flatMap((variable) => [variable, variable.toUpperCase()])) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    for (const client of clients.splice(0)) client.close();
    for (const transport of transports.splice(0)) transport.close();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  });

  const proxyServer = async (credentials?: string) => {
    const proxy = await startForwardProxy(credentials);
    proxies.push(proxy);
    return proxy;
  };
  /** A client of the local server over `scheme`, trusting its certificate. */
  const makeClient = (scheme: 'http' | 'https', options: { proxy?: string; transport?: AxiosTransport } = {}) => {
    const transport = options.transport ?? new AxiosTransport({ ca });
    if (!options.transport) transports.push(transport);
    const client = new AgentBayClient({
      apiKey: server.apiKey,
      region: 'custom',
      customEndpoint: `${scheme}://${server.endpoint}`,
      transport,
      retry: { maxRetries: 0, baseDelayMs: 0 },
      proxy: options.proxy,
    });
    clients.push(client);
    return client;
  };
  const listSessions = (client: AgentBayClient) => client.call('ListSession', { Labels: '{}', MaxResults: 1 });
  const failure = async (promise: Promise<unknown>): Promise<AgentBayError> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof AgentBayError, String(error));
      return error;
    }
    assert.fail('the call succeeded');
  };

  it('sends plain-HTTP calls to HTTP_PROXY as absolute-URI requests', async () => {
    const proxy = await proxyServer();
    process.env.HTTP_PROXY = proxy.url;
    const envelope = await listSessions(makeClient('http'));
    assert.equal(envelope.Success, true);
    assert.equal(proxy.forwarded.length, 1);
    assert.ok(proxy.forwarded[0].startsWith(`POST http://${server.endpoint}/?Action=ListSession&`), proxy.forwarded[0]);
    assert.deepEqual(proxy.tunnels, []);
  });

  it('tunnels HTTPS calls through HTTPS_PROXY with CONNECT, reusing one tunnel across calls and clients', async () => {
    const proxy = await proxyServer();
    process.env.https_proxy = proxy.url;
    const transport = new AxiosTransport({ ca });
    transports.push(transport);
    await listSessions(makeClient('https', { transport }));
    await listSessions(makeClient('https', { transport }));
    assert.deepEqual(proxy.tunnels, [server.endpoint]);
    assert.deepEqual(proxy.forwarded, [], 'TLS ran end to end: the proxy saw no request');
  });

  it('reads the variables when a client is made, not before', async () => {
    const first = makeClient('http');
    const proxy = await proxyServer();
    process.env.HTTP_PROXY = proxy.url;
    await listSessions(first);
    assert.equal(proxy.forwarded.length, 0, 'a client made before HTTP_PROXY was set calls directly');
    await listSessions(makeClient('http'));
    assert.equal(proxy.forwarded.length, 1);
  });

  it('calls hosts listed in NO_PROXY directly, including by host:port', async () => {
    const proxy = await proxyServer();
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = `example.com, ${server.endpoint}`;
    await listSessions(makeClient('http'));
    await listSessions(makeClient('https'));
    assert.deepEqual([proxy.forwarded, proxy.tunnels], [[], []]);

    process.env.no_proxy = '127.0.0.1:1'; // lower case wins, as in both runtimes; another port is no match
    await listSessions(makeClient('http'));
    assert.equal(proxy.forwarded.length, 1);
  });

  it('matches NO_PROXY entries as n8n and Node-RED do', () => {
    const env = (noProxy: string) => ({ NO_PROXY: noProxy });
    assert.equal(shouldProxy('api.example.com', 443, env('.example.com')), false);
    assert.equal(shouldProxy('api.example.com', 443, env('*.example.com')), false);
    assert.equal(shouldProxy('example.com', 443, env('.example.com')), true);
    assert.equal(shouldProxy('example.com', 443, env('example.com')), false);
    assert.equal(shouldProxy('api.example.com', 443, env('example.com')), true);
    assert.equal(shouldProxy('anything', 80, env('*')), false);
    assert.equal(shouldProxy('10.0.0.7', 8720, env('10.0.0.7:8720')), false);
    assert.equal(shouldProxy('10.0.0.7', 443, env('10.0.0.7:8720')), true);
    assert.equal(shouldProxy('127.0.0.1', 80, env('')), true, 'loopback is proxied unless listed');
    assert.equal(shouldProxy('[::1]', 80, env('[::1]')), false);
  });

  it("uses the connection's own Proxy over the environment, NO_PROXY included", async () => {
    const fromEnvironment = await proxyServer();
    const own = await proxyServer();
    process.env.HTTP_PROXY = fromEnvironment.url;
    process.env.NO_PROXY = '127.0.0.1';
    await listSessions(makeClient('http', { proxy: own.url }));
    assert.equal(own.forwarded.length, 1);
    assert.equal(fromEnvironment.forwarded.length, 0);
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`sends the proxy URL's credentials as Proxy-Authorization (${scheme}) and never shows them`, async () => {
      const proxy = await proxyServer('agent:pr0xy-s3cret');
      process.env[`${scheme.toUpperCase()}_PROXY`] = `http://agent:pr0xy-s3cret@127.0.0.1:${proxy.port}`;
      await listSessions(makeClient(scheme));
      assert.deepEqual(proxy.authorizations, [`Basic ${Buffer.from('agent:pr0xy-s3cret').toString('base64')}`]);

      process.env[`${scheme.toUpperCase()}_PROXY`] = `http://agent:wr0ng-pass@127.0.0.1:${proxy.port}`;
      const error = await failure(listSessions(makeClient(scheme)));
      assert.equal(error.code, 'ProxyAuthenticationRequired');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${proxy.port}`));
      const shown = JSON.stringify([error.message, error.stack, error.toJSON()]);
      for (const secret of ['wr0ng-pass', Buffer.from('agent:wr0ng-pass').toString('base64')]) assert.ok(!shown.includes(secret), shown);
    });

    it(`names an unreachable proxy without its credentials (${scheme})`, async () => {
      const port = await closedPort();
      process.env[`${scheme.toUpperCase()}_PROXY`] = `http://agent:pr0xy-s3cret@127.0.0.1:${port}`;
      const error = await failure(listSessions(makeClient(scheme)));
      assert.equal(error.code, 'NetworkError');
      assert.match(error.message, new RegExp(`proxy http://127\\.0\\.0\\.1:${port}`));
      assert.match(error.message, /ECONNREFUSED/);
      assert.ok(!JSON.stringify([error.message, error.stack]).includes('pr0xy-s3cret'));
    });
  }

  it('refuses an unusable proxy setting before any call, naming where it came from', () => {
    process.env.HTTPS_PROXY = 'socks5://agent:pr0xy-s3cret@127.0.0.1:1080';
    assert.throws(
      () => makeClient('https'),
      (error: unknown) =>
        error instanceof AgentBayError &&
        error.code === 'InvalidProxy' &&
        /HTTPS_PROXY environment variable must be an http:\/\/ proxy URL/.test(error.message) &&
        !error.message.includes('pr0xy-s3cret'),
    );
    assert.throws(() => makeClient('http', { proxy: 'http://[bad' }), /Proxy must be a proxy URL like http:\/\//);
  });

  describe('in n8n', () => {
    it("routes a node's calls through the credential's Proxy, a password field", async () => {
      const field = new AgentBayApi().properties.find((property) => property.name === 'proxy');
      assert.equal(field?.typeOptions?.password, true);
      const proxy = await proxyServer();
      const result = await executeN8nNode('listSessions', { credentials: { ...connectionFor(server), proxy: proxy.url } });
      assert.equal(result.output[0].length, 1);
      assert.ok(proxy.forwarded.length >= 1, 'the call went through the proxy');
    });

    it('reports an unreachable proxy by host, keeping its password out of the error', async () => {
      const port = await closedPort();
      const error = await executeN8nNode('listSessions', {
        credentials: { ...connectionFor(server), proxy: `http://agent:pr0xy-s3cret@127.0.0.1:${port}` },
      }).then(
        () => assert.fail('the node succeeded'),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof NodeApiError, String(error));
      assert.match(error.description ?? '', new RegExp(`proxy http://127\\.0\\.0\\.1:${port}`));
      const shown = JSON.stringify([error.message, error.description, error.messages, error.context, error.stack]);
      assert.ok(!shown.includes('pr0xy-s3cret'), shown);
    });
  });

  describe('in Node-RED', () => {
    afterEach(() => helper.unload());

    it("routes a node's calls through the config node's Proxy credential", async () => {
      const proxy = await proxyServer();
      const flow = [
        { id: TAB_ID, type: 'tab', label: 'test' },
        { id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: server.url, timeoutMs: 30000 },
        { id: 'list', z: TAB_ID, type: 'agentbay-list-sessions', server: CONFIG_ID, wires: [['out']] },
        { id: 'out', z: TAB_ID, type: 'helper' },
      ];
      await helper.load(packageNodeModules(), flow, { [CONFIG_ID]: { apiKey: server.apiKey, proxy: proxy.url } });
      const received = new Promise<Message>((resolve) => helper.getNode('out').on('input', (msg: Message) => resolve(msg)));
      helper.getNode('list').receive({ payload: '' });
      const msg = await received;
      assert.ok(msg.payload !== undefined);
      assert.ok(proxy.forwarded.length >= 1, 'the call went through the proxy');
    });

    it('reports an unreachable proxy by host to Catch and in the status, never its password', async () => {
      const port = await closedPort();
      const flow = [
        { id: TAB_ID, type: 'tab', label: 'test' },
        { id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: server.url, timeoutMs: 30000 },
        { id: 'list', z: TAB_ID, type: 'agentbay-list-sessions', server: CONFIG_ID, wires: [[]] },
        { id: 'catcher', z: TAB_ID, type: 'catch', scope: null, uncaught: false, wires: [['out']] },
        { id: 'out', z: TAB_ID, type: 'helper' },
      ];
      await helper.load([...packageNodeModules(), catchNodeModule], flow, {
        [CONFIG_ID]: { apiKey: server.apiKey, proxy: `http://agent:pr0xy-s3cret@127.0.0.1:${port}` },
      });
      const statuses: unknown[] = [];
      helper.getNode('list').on('call:status', ((call: { args: unknown[] }) => statuses.push(call.args[0])) as never);
      const caught = new Promise<Message>((resolve) => helper.getNode('out').on('input', (msg: Message) => resolve(msg)));
      helper.getNode('list').receive({ payload: '' });
      const msg = await caught;
      assert.match(msg.error?.message ?? '', new RegExp(`proxy http://127\\.0\\.0\\.1:${port}`));
      const shown = JSON.stringify([msg, statuses]);
      assert.ok(statuses.length > 0);
      assert.ok(!shown.includes('pr0xy-s3cret'), shown);
    });
  });
});
