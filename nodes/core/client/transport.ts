/**
 * The HTTP seam of the client. The default is axios with keep-alive agents, so a flow that makes
 * hundreds of calls (a chunked 10 MB upload) reuses a handful of connections. A request may name
 * an HTTP proxy (the client decides which, `proxy.ts`): plain-HTTP targets then go to the proxy as
 * absolute-URI requests, HTTPS targets through a CONNECT tunnel (`proxy-tunnel.ts`).
 */
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';
import { redactProxySecrets, type ProxyEndpoint } from './proxy';
import { ProxyTunnelAgent, ProxyTunnelError } from './proxy-tunnel';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers: Record<string, string>;
  /** Text for RPC calls; bytes for file uploads to presigned URLs. */
  body?: string | Buffer;
  /** Read the answer as bytes (`TransportResponse.bytes`), failing with `ETOOLARGE` beyond `maxBytes`. */
  bytesResponse?: { maxBytes: number };
  timeoutMs: number;
  signal?: AbortSignal;
  /** Send through this HTTP proxy; direct when absent. */
  proxy?: ProxyEndpoint;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as text ('' for a bytes response). */
  body: string;
  /** The body as bytes, when the request asked for `bytesResponse`. */
  bytes?: Buffer;
}

/** Failure below HTTP (refused, reset, timed out, aborted). `code` is Node's or `ETIMEDOUT`/`ABORTED`. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Frees pooled connections. */
  close?(): void;
}

export interface AxiosTransportOptions {
  /** CA certificates for HTTPS endpoints, replacing the default ones (tests only; users set NODE_EXTRA_CA_CERTS). */
  ca?: string | Buffer;
}

interface AgentPair {
  http: http.Agent;
  https: https.Agent;
}

/** Distinct proxy configurations kept at once; more than this is a misuse, so the oldest is dropped. */
const MAX_PROXY_AGENT_PAIRS = 32;
// 64 sockets per host: n8n items (Concurrency up to 50) and Node-RED messages share one transport.
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 64 };
/**
 * Largest answer body read. The biggest legitimate answer is a Read File chunk or a Read Multiple
 * Files result (a few MiB of base64); a server streaming without end must not exhaust the heap.
 */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** Largest request body sent; Write File sends chunks of 60 KiB, Run Code sends the code. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export class AxiosTransport implements HttpTransport {
  private readonly direct: AgentPair;
  /** Keep-alive agents per proxy (URL and credentials), so calls through one proxy share connections. */
  private readonly viaProxy = new Map<string, AgentPair>();
  private readonly axios: AxiosInstance;

  constructor(private readonly options: AxiosTransportOptions = {}) {
    this.direct = {
      http: new http.Agent(AGENT_OPTIONS),
      https: new https.Agent({ ...AGENT_OPTIONS, ca: options.ca }),
    };
    // Everything that is the same for every call is set once here, so a call merges only its own
    // few fields (bench/: per-call config merging and follow-redirects were most of the overhead).
    this.axios = axios.create({
      // We read every status ourselves and parse the envelope; axios must not throw or parse.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      transitional: { silentJSONParsing: true, forcedJSONParsing: false, clarifyTimeoutError: false },
      maxBodyLength: MAX_REQUEST_BYTES,
      maxContentLength: MAX_RESPONSE_BYTES,
      // The API never redirects; 0 makes axios use Node's http directly instead of follow-redirects.
      maxRedirects: 0,
      httpAgent: this.direct.http,
      httpsAgent: this.direct.https,
      // axios would otherwise read the proxy variables itself, with rules of its version.
      proxy: false,
    });
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    const config: AxiosRequestConfig<string | Buffer> = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      data: request.body,
      timeout: request.timeoutMs,
      signal: request.signal,
    };
    if (request.proxy) Object.assign(config, this.routing(request.proxy, request));
    // File URLs (file transfer) move raw bytes, bounded by the node's Max Size rather than the API's limits.
    if (request.bytesResponse) Object.assign(config, { responseType: 'arraybuffer', maxContentLength: request.bytesResponse.maxBytes });
    if (Buffer.isBuffer(request.body)) config.maxBodyLength = request.body.length;
    try {
      const response = await this.axios.request<string | ArrayBuffer>(config);
      if (request.proxy && response.status === 407) {
        throw new TransportError(
          `Proxy ${request.proxy.display} asked for authentication (HTTP 407): check the proxy user name and password`,
          'EPROXYAUTH',
        );
      }
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = value === undefined || value === null ? undefined : String(value);
      }
      if (request.bytesResponse) {
        const data: unknown = response.data;
        const bytes = Buffer.isBuffer(data) ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.alloc(0);
        return { status: response.status, headers, body: '', bytes };
      }
      return { status: response.status, headers, body: typeof response.data === 'string' ? response.data : '' };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      // Never pass axios's error on: its `config` holds the form body, which holds the API key.
      throw toTransportError(error, request);
    }
  }

  close(): void {
    for (const pair of [this.direct, ...this.viaProxy.values()]) {
      pair.http.destroy();
      pair.https.destroy();
    }
    this.viaProxy.clear();
  }

  private routing(proxy: ProxyEndpoint, request: TransportRequest): AxiosRequestConfig {
    const agents = this.agentsFor(proxy);
    if (new URL(request.url).protocol === 'https:') return { httpAgent: agents.http, httpsAgent: agents.https, proxy: false };
    // Plain HTTP: axios sends the absolute URI to the proxy; its agent pools the proxy connections.
    return {
      httpAgent: agents.http,
      httpsAgent: agents.https,
      proxy: { protocol: 'http', host: proxy.hostname, port: proxy.port },
      headers: proxy.authorization ? { ...request.headers, 'Proxy-Authorization': proxy.authorization } : request.headers,
    };
  }

  private agentsFor(proxy: ProxyEndpoint): AgentPair {
    const key = `${proxy.display}#${proxy.authorization ?? ''}`;
    let pair = this.viaProxy.get(key);
    if (!pair) {
      if (this.viaProxy.size >= MAX_PROXY_AGENT_PAIRS) {
        const [oldestKey, oldest] = this.viaProxy.entries().next().value as [string, AgentPair];
        oldest.http.destroy();
        oldest.https.destroy();
        this.viaProxy.delete(oldestKey);
      }
      pair = {
        http: new http.Agent(AGENT_OPTIONS),
        https: new ProxyTunnelAgent(proxy, { ...AGENT_OPTIONS, ca: this.options.ca }),
      };
      this.viaProxy.set(key, pair);
    }
    return pair;
  }
}

function toTransportError(error: unknown, request: TransportRequest): TransportError {
  const proxy = request.proxy;
  if (axios.isCancel(error)) return new TransportError('Request aborted', 'ABORTED');
  const tunnelError = error instanceof ProxyTunnelError ? error : causeOf(error);
  if (tunnelError) return new TransportError(`Network error: ${redactProxySecrets(tunnelError.message, proxy)}`, tunnelError.code);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNKNOWN';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransportError(`No answer within ${request.timeoutMs} ms${proxy ? ` (through proxy ${proxy.display})` : ''}`, 'ETIMEDOUT');
  }
  if (code === 'ERR_CANCELED') return new TransportError('Request aborted', 'ABORTED');
  if (request.bytesResponse && error instanceof Error && /maxContentLength/.test(error.message)) {
    return new TransportError(`The answer is larger than ${request.bytesResponse.maxBytes} bytes`, 'ETOOLARGE');
  }
  const reason = redactProxySecrets(error instanceof Error ? error.message : String(error), proxy);
  return new TransportError(`Network error${proxy ? ` through proxy ${proxy.display}` : ''}: ${reason}`, code);
}

function causeOf(error: unknown): ProxyTunnelError | undefined {
  const cause = error instanceof Error ? (error as Error & { cause?: unknown }).cause : undefined;
  return cause instanceof ProxyTunnelError ? cause : undefined;
}
