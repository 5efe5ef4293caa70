/**
 * AgentBay API client: one `call` per RPC action, the envelope checked, every failure turned into
 * an AgentBayError. Imports neither n8n nor Node-RED; transport and clock are injected.
 */
import { AgentBayError, redactSecrets } from './errors';
import { resolveBaseUrl, type EndpointSettings } from './endpoint';
import type { ActionData, ActionName, ActionRequest } from './actions';
import { encodeRpcRequest, userAgent, type RpcParams } from './rpc-encoding';
import { ProxySettingError, redactProxySecrets, resolveProxy, type ProxyEndpoint } from './proxy';
import { AxiosTransport, TransportError, type HttpTransport } from './transport';

export const DEFAULT_TIMEOUT_MS = 60_000;

/** Connection failures that prove no byte of the request reached the service (or the proxy). */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** The parsed JSON envelope (docs/protocol.md §2.2). `Data` (typed per action, see actions.ts) and the pagination fields vary per action. */
export interface RpcEnvelope<Data = unknown> {
  RequestId?: string;
  Success?: boolean;
  Code?: string;
  Message?: string;
  HttpStatusCode?: number;
  Data?: Data;
  NextToken?: string;
  MaxResults?: number;
  TotalCount?: number;
  Count?: number;
  [key: string]: unknown;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new AgentBayError('Operation aborted', { code: 'Aborted' }));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AgentBayError('Operation aborted', { code: 'Aborted' }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface RetryPolicy {
  /** Extra attempts after the first (0 disables retries). */
  maxRetries: number;
  /** First back-off; doubled each attempt unless the service gave a retry-after. */
  baseDelayMs: number;
  /** Longest wait honoured from `x-acs-retry-after` (a service asking for a day gets this). Default 60 s. */
  maxRetryAfterMs?: number;
  /** No retry starts once this long has passed since the call's first attempt. Default 120 s. */
  maxTotalMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
export const DEFAULT_MAX_RETRY_TOTAL_MS = 120_000;
export const DEFAULT_RETRY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
  maxTotalMs: DEFAULT_MAX_RETRY_TOTAL_MS,
};

/** One retry about to happen, so a runtime can show it (status, log line). */
export interface RetryEvent {
  action: string;
  /** 1 for the first retry. */
  retry: number;
  maxRetries: number;
  /** How long the client waits before the retry. */
  delayMs: number;
  /** What the service asked for when that was more than the cap. */
  requestedDelayMs?: number;
  error: AgentBayError;
}

export type RetryListener = (event: RetryEvent) => void;

/** Short text for a retry, the same in every runtime. */
export function describeRetry(event: RetryEvent): string {
  const capped = event.requestedDelayMs !== undefined ? ` (the service asked for ${Math.round(event.requestedDelayMs / 1000)} s; capped)` : '';
  return `${event.action} failed (${event.error.code}); retry ${event.retry} of ${event.maxRetries} in ${event.delayMs} ms${capped}`;
}

export interface ClientOptions extends EndpointSettings {
  apiKey: string;
  timeoutMs?: number;
  transport?: HttpTransport;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Which runtime is calling (`n8n`, `node-red`), reported in SdkStats. */
  framework?: string;
  /** Told about every retry this client makes. */
  onRetry?: RetryListener;
  /**
   * HTTP proxy URL for every call (`http://user:password@proxy:3128`); when empty, the proxy
   * environment variables decide, read when the client is made (`proxy.ts`).
   */
  proxy?: string;
}

/** One transfer to or from a presigned context-file URL (docs/protocol.md §3.2 "File URLs"). */
export interface FileUrlRequest {
  method: 'PUT' | 'GET';
  url: string;
  /** The bytes to PUT. */
  body?: Buffer;
  /** Largest answer read (GET); a larger one fails with `FileTooLarge`. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Names the step in messages (`upload of /tmp/file_transfer/a.bin`); the URL itself never appears. */
  what: string;
}

/** A presigned upload or download may move hundreds of megabytes: longer than an RPC call's timeout. */
export const FILE_URL_TIMEOUT_MS = 600_000;
const FILE_URL_ERROR_SNIPPET = 300;

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Told about this call's retries (besides the client's own listener). */
  onRetry?: RetryListener;
}

/**
 * Actions that may be repeated after a 5xx, a dropped connection or a timeout: reads, and deletes
 * (deleting twice leaves the same state; a NotFound on the repeat means the first one worked).
 * Any other write is repeated only after throttling, which means the service did not run it.
 */
const REPEATABLE_ACTIONS: ReadonlySet<string> = new Set([
  'DeleteSessionAsync',
  'ReleaseMcpSession',
  'ListSession',
  'GetSession',
  'GetSessionDetail',
  'GetMcpResource',
  'GetLabel',
  'GetLink',
  'ListMcpTools',
  'GetContextInfo',
  'ListContexts',
]);

function definedOnly(policy: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(policy).filter(([, value]) => typeof value === 'number' && Number.isFinite(value)));
}

export class AgentBayClient {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly transport: HttpTransport;
  private readonly ownsTransport: boolean;
  readonly clock: Clock;
  private readonly retry: Required<RetryPolicy>;
  readonly framework: string;
  private readonly userAgent: string;
  private readonly options: ClientOptions;
  /** The proxy every call goes through, or undefined for direct calls. */
  private readonly proxy: ProxyEndpoint | undefined;

  constructor(options: ClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') {
      throw new AgentBayError('API Key is required: set it in the AgentBay credentials', { code: 'MissingApiKey' });
    }
    this.apiKey = options.apiKey.trim();
    this.baseUrl = resolveBaseUrl(options);
    this.proxy = proxyFor(this.baseUrl, options.proxy);
    this.timeoutMs = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.ownsTransport = !options.transport;
    this.transport = options.transport ?? new AxiosTransport();
    this.clock = options.clock ?? systemClock;
    this.retry = { ...(DEFAULT_RETRY as Required<RetryPolicy>), ...definedOnly(options.retry ?? {}) };
    this.framework = options.framework ?? '';
    this.userAgent = userAgent(this.framework);
    this.options = options;
  }

  /**
   * The same client (settings, transport, clock) that also tells `listener` about every retry;
   * each node run gets one, so its retries show where that run reports progress.
   */
  withRetryListener(listener: RetryListener): AgentBayClient {
    const own = this.options.onRetry;
    const onRetry: RetryListener = (event) => {
      own?.(event);
      listener(event);
    };
    // Every node run makes one: copy the settings already resolved (endpoint, proxy from the
    // environment, user agent) instead of resolving them again (bench/: it was the largest part of the
    // Node-RED node layer's own work per message).
    const derived = Object.create(AgentBayClient.prototype) as AgentBayClient;
    return Object.assign(derived, this, { ownsTransport: false, options: { ...this.options, onRetry } });
  }

  /**
   * Sends one action and returns its envelope; throws AgentBayError for any failure. The action
   * name, its request fields and the `Data` field names are typed by `AgentBayActions`.
   */
  async call<A extends ActionName>(
    action: A,
    params: ActionRequest<A>,
    options: CallOptions = {},
  ): Promise<RpcEnvelope<ActionData<A>>> {
    const started = this.clock.now().getTime();
    for (let attempt = 0; ; attempt++) {
      try {
        // The envelope is checked, `Data` is not: ActionData keeps every value `unknown`.
        return (await this.callOnce(action, params, options)) as RpcEnvelope<ActionData<A>>;
      } catch (error) {
        const delay = this.retryDelay(action, error, attempt);
        if (delay === undefined || !(error instanceof AgentBayError)) throw error;
        const elapsed = this.clock.now().getTime() - started;
        if (elapsed + delay.delayMs > this.retry.maxTotalMs) throw error;
        const event: RetryEvent = { action, retry: attempt + 1, maxRetries: this.retry.maxRetries, ...delay, error };
        this.options.onRetry?.(event);
        options.onRetry?.(event);
        await this.clock.sleep(delay.delayMs, options.signal);
      }
    }
  }

  close(): void {
    if (this.ownsTransport) this.transport.close?.();
  }

  /**
   * PUTs or GETs bytes at a presigned URL (GetContextFileUploadUrl / DownloadUrl). The URL is its
   * own credential, so the API key is not sent; the proxy is the one this connection uses for that
   * URL's host (the connection's Proxy field, else the environment rules). No retry, as the SDK; the
   * URL (which carries a signature) never reaches a message, only its host.
   */
  async sendToFileUrl(request: FileUrlRequest): Promise<{ status: number; bytes: Buffer }> {
    let target: URL;
    try {
      target = new URL(request.url);
    } catch {
      throw new AgentBayError(`The service gave an invalid URL for the ${request.what}`, { code: 'InvalidResponse' });
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new AgentBayError(`The service gave a ${target.protocol} URL for the ${request.what}; expected http or https`, { code: 'InvalidResponse' });
    }
    const proxy = proxyFor(request.url, this.options.proxy);
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (request.method === 'PUT') headers['content-type'] = 'application/octet-stream';
    let response;
    try {
      response = await this.transport.send({
        method: request.method,
        url: request.url,
        headers,
        body: request.body,
        bytesResponse: { maxBytes: request.maxBytes },
        timeoutMs: Math.max(this.timeoutMs, FILE_URL_TIMEOUT_MS),
        signal: request.signal,
        proxy,
      });
    } catch (error) {
      if (error instanceof TransportError && error.code === 'ETOOLARGE') {
        throw new AgentBayError(`The ${request.what} failed: the file is larger than ${request.maxBytes} bytes`, { code: 'FileTooLarge' });
      }
      const failure = this.networkError(request.what, error);
      throw new AgentBayError(redactProxySecrets(failure.message.split(target.search).join(''), proxy), { code: failure.code });
    }
    const bytes = response.bytes ?? Buffer.alloc(0);
    if (response.status < 200 || response.status >= 300) {
      const text = this.safe(bytes.subarray(0, FILE_URL_ERROR_SNIPPET).toString('utf8')).replace(/\s+/g, ' ').trim();
      throw new AgentBayError(`The ${request.what} failed: ${target.host} answered HTTP ${response.status}${text ? `: ${text}` : ''}`, {
        code: 'FileTransferFailed',
        httpStatus: response.status,
      });
    }
    return { status: response.status, bytes };
  }

  private retryDelay(action: string, error: unknown, attempt: number): { delayMs: number; requestedDelayMs?: number } | undefined {
    if (!(error instanceof AgentBayError) || attempt >= this.retry.maxRetries) return undefined;
    const repeatable = error.throttled || (error.retryable && REPEATABLE_ACTIONS.has(action));
    if (!repeatable) return undefined;
    if (error.retryAfterSeconds !== undefined && error.retryAfterSeconds >= 0) {
      const requested = error.retryAfterSeconds * 1000;
      const cap = Math.max(0, this.retry.maxRetryAfterMs);
      return requested > cap ? { delayMs: cap, requestedDelayMs: requested } : { delayMs: requested };
    }
    return { delayMs: this.retry.baseDelayMs * 2 ** attempt };
  }

  private async callOnce(action: string, params: RpcParams, options: CallOptions): Promise<RpcEnvelope> {
    const encoded = encodeRpcRequest(action, params, this.apiKey, { now: this.clock.now(), userAgent: this.userAgent });
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let response;
    try {
      response = await this.transport.send({
        method: encoded.method,
        url: `${this.baseUrl}${encoded.pathAndQuery}`,
        headers: encoded.headers,
        body: encoded.body,
        timeoutMs,
        signal: options.signal,
        proxy: this.proxy,
      });
    } catch (error) {
      throw this.networkError(action, error);
    }
    return this.parseEnvelope(action, response.status, response.headers, response.body);
  }

  private networkError(action: string, error: unknown): AgentBayError {
    if (error instanceof TransportError) {
      const aborted = error.code === 'ABORTED';
      const proxyRefused = error.code === 'EPROXYAUTH';
      return new AgentBayError(this.safe(`${action} failed: ${error.message}`), {
        code: aborted ? 'Aborted' : error.code === 'ETIMEDOUT' ? 'Timeout' : proxyRefused ? 'ProxyAuthenticationRequired' : 'NetworkError',
        retryable: !aborted && !proxyRefused,
        notSent: NOT_SENT_CODES.has(error.code),
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new AgentBayError(this.safe(`${action} failed: ${reason}`), { code: 'NetworkError', retryable: true });
  }

  private parseEnvelope(
    action: string,
    status: number,
    headers: Record<string, string | undefined>,
    body: string,
  ): RpcEnvelope {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      const snippet = this.safe(body.slice(0, 200));
      throw new AgentBayError(`${action} failed: the service answered HTTP ${status} with a body that is not JSON: ${snippet}`, {
        code: 'InvalidResponse',
        httpStatus: status,
        retryable: status >= 500,
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AgentBayError(`${action} failed: Invalid response format: expected a dictionary`, {
        code: 'InvalidResponse',
        httpStatus: status,
      });
    }
    const envelope = parsed as RpcEnvelope;
    const code = String(envelope.Code ?? envelope.code ?? '');
    const failedAtHttp = status >= 400;
    const failedInBody = !failedAtHttp && envelope.Success !== true && code !== '' && code.toLowerCase() !== 'ok';
    if (!failedAtHttp && !failedInBody) return envelope;

    const throttled = code.includes('Throttling');
    const retryAfter = Number.parseInt(headers['x-acs-retry-after'] ?? '', 10);
    const message = String(envelope.Message ?? envelope.message ?? '') || 'Unknown error';
    return this.fail({
      code: code || `HTTP${status}`,
      message,
      requestId: String(envelope.RequestId ?? envelope.requestId ?? ''),
      httpStatus: failedAtHttp ? status : Number(envelope.HttpStatusCode) || status,
      throttled,
      retryAfterSeconds: throttled && Number.isFinite(retryAfter) ? retryAfter : undefined,
    });
  }

  private fail(
    details: { code: string; message: string; requestId: string; httpStatus: number; throttled: boolean; retryAfterSeconds?: number },
  ): never {
    // Same `[Code] Message` form the SDK uses for API errors (docs/protocol.md §4).
    throw new AgentBayError(this.safe(`[${details.code}] ${details.message}`), {
      code: details.code,
      requestId: details.requestId,
      httpStatus: details.httpStatus,
      throttled: details.throttled,
      retryAfterSeconds: details.retryAfterSeconds,
      retryable: details.throttled || details.httpStatus >= 500,
    });
  }

  private safe(text: string): string {
    return redactProxySecrets(redactSecrets(text, this.apiKey), this.proxy);
  }
}

/** The proxy for `baseUrl`; a setting that cannot be used is a client-side error naming it. */
function proxyFor(baseUrl: string, configured: string | undefined): ProxyEndpoint | undefined {
  try {
    return resolveProxy(baseUrl, configured);
  } catch (error) {
    if (error instanceof ProxySettingError) throw new AgentBayError(error.message, { code: 'InvalidProxy' });
    throw error;
  }
}
