/**
 * The HTTP seam of the client. The default is axios with keep-alive agents, so a flow that makes
 * hundreds of calls (a chunked 10 MB upload) reuses a handful of connections.
 */
import axios, { type AxiosInstance } from 'axios';
import * as http from 'node:http';
import * as https from 'node:https';

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
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

export class AxiosTransport implements HttpTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly axios: AxiosInstance;

  constructor() {
    this.axios = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      // We read every status ourselves and parse the envelope; axios must not throw or parse.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      proxy: false,
    });
  }

  async send(request: TransportRequest): Promise<TransportResponse> {
    try {
      const response = await this.axios.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        timeout: request.timeoutMs,
        signal: request.signal,
      });
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        headers[name.toLowerCase()] = value === undefined || value === null ? undefined : String(value);
      }
      return { status: response.status, headers, body: typeof response.data === 'string' ? response.data : '' };
    } catch (error) {
      // Never pass axios's error on: its `config` holds the form body, which holds the API key.
      throw toTransportError(error, request.timeoutMs);
    }
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function toTransportError(error: unknown, timeoutMs: number): TransportError {
  if (axios.isCancel(error)) return new TransportError('Request aborted', 'ABORTED');
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'UNKNOWN';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransportError(`No answer within ${timeoutMs} ms`, 'ETIMEDOUT');
  }
  if (code === 'ERR_CANCELED') return new TransportError('Request aborted', 'ABORTED');
  const reason = error instanceof Error ? error.message : String(error);
  return new TransportError(`Network error: ${reason}`, code);
}
