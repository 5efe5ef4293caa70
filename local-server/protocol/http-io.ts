/**
 * Reading request bodies and writing JSON answers with Node's http module.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorEnvelope, newRequestId } from './envelope';
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

/** What Node's HTTP parser rejected, as an error of the envelope. */
function clientErrorOf(err: Error & { code?: string }): ApiError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError('RequestHeaderFieldsTooLarge', 'The request line and headers together exceed the server limit (16 KiB); send parameters in the form body.', 431);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError('RequestTimeout', 'The request was not received in time.', 408);
    default:
      return new ApiError('MalformedRequest', 'The request is not valid HTTP/1.1.', 400);
  }
}

/**
 * The http server's `clientError` handler. Node would answer a bare status without a body; this
 * writes the JSON envelope instead, on the raw socket since no response object exists yet.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = newRequestId();
  const error = clientErrorOf(err);
  const payload = JSON.stringify(errorEnvelope(requestId, error));
  socket.end(
    `HTTP/1.1 ${error.httpStatus} ${STATUS_CODES[error.httpStatus] ?? 'Error'}\r\n` +
      'Content-Type: application/json;charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(payload)}\r\n` +
      `x-acs-request-id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      payload,
  );
}
