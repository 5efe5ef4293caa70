/**
 * Reading request bodies and writing JSON answers with Node's http module.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

function bodyTooLarge(limit: number): ApiError {
  return new ApiError('RequestTooLarge', `The request body exceeds the limit of ${limit} bytes.`, 413);
}

/**
 * Reads the whole body (chunked or with Content-Length). Past `limit` bytes the rest is drained
 * and discarded, then the promise rejects with a 413 error: answering before the body is read
 * would make the socket reset under the client and lose the answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    req.on('end', () => {
      if (size > limit) reject(bodyTooLarge(limit));
      else resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the body ended'));
    });
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json;charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}
