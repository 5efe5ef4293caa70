/**
 * A candidate transport for the client comparison only: Node's http module with a keep-alive
 * agent and nothing else (no proxies, no size caps, no HTTPS). It shows what the client costs
 * without axios, so the bench can tell axios's share of the per-call cost from the client's own.
 */
import { Agent, request } from 'node:http';
import { TransportError, type HttpTransport, type TransportRequest, type TransportResponse } from '../nodes/core/client/transport';

export class NodeHttpTransport implements HttpTransport {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  send(req: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const outgoing = request(req.url, { method: req.method, agent: this.agent, headers, timeout: req.timeoutMs, signal: req.signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const responseHeaders: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(res.headers)) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (error) => reject(new TransportError(error.message, 'ECONNRESET')));
      });
      outgoing.on('timeout', () => outgoing.destroy(new TransportError(`No answer within ${req.timeoutMs} ms`, 'ETIMEDOUT')));
      outgoing.on('error', (error: Error & { code?: string }) =>
        reject(error instanceof TransportError ? error : new TransportError(error.message, error.code ?? 'UNKNOWN')),
      );
      outgoing.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
