/**
 * Presigned-style URLs for context files, served by the local server on its own port
 * (docs/protocol.md §3.2 "File URLs"):
 *
 *   <server>/context-files/<contextId>?path=<file path>&op=upload|download&expires=<unix s>&sig=<hex>
 *
 * `sig` is HMAC-SHA256, with a secret made at each server start (never the API key), over the
 * method, context id, path and expiry; so a URL is good for one file, one method (PUT to upload,
 * GET to download) and until it expires or the server restarts. It carries no API key. A tampered,
 * expired or wrong-method URL gets 403 with a JSON error body.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../protocol/http-io';
import { contextFilePath } from './paths';
import { FileTooLargeError, type ContextStore } from './store';

export const FILE_URL_PREFIX = '/context-files/';
export type FileOp = 'upload' | 'download';

export interface SignedUrl {
  url: string;
  /** Unix seconds. */
  expireTime: number;
}

const METHOD: Record<FileOp, string> = { upload: 'PUT', download: 'GET' };

export class FileUrlSigner {
  private readonly secret = randomBytes(32);

  constructor(private readonly ttlMs: number) {}

  private signature(op: FileOp, contextId: string, filePath: string, expires: number): Buffer {
    return createHmac('sha256', this.secret).update(`${METHOD[op]}\n${contextId}\n${filePath}\n${expires}`, 'utf8').digest();
  }

  sign(baseUrl: string, op: FileOp, contextId: string, filePath: string, now = Date.now()): SignedUrl {
    const expires = Math.ceil((now + this.ttlMs) / 1000);
    const query = new URLSearchParams({ path: filePath, op, expires: String(expires), sig: this.signature(op, contextId, filePath, expires).toString('hex') });
    return { url: `${baseUrl}${FILE_URL_PREFIX}${encodeURIComponent(contextId)}?${query.toString()}`, expireTime: expires };
  }

  /** The op, context and path a URL grants, or the reason it grants nothing. */
  verify(method: string, rawUrl: string, now = Date.now()): { op: FileOp; contextId: string; filePath: string } | string {
    const url = new URL(rawUrl, 'http://local');
    const contextId = decodeURIComponent(url.pathname.slice(FILE_URL_PREFIX.length));
    const op = url.searchParams.get('op');
    const filePath = url.searchParams.get('path') ?? '';
    const expiresText = url.searchParams.get('expires') ?? '';
    const sig = url.searchParams.get('sig') ?? '';
    if ((op !== 'upload' && op !== 'download') || !/^\d{1,12}$/.test(expiresText) || !/^[0-9a-f]{64}$/.test(sig)) {
      return 'The URL is not a valid context file URL.';
    }
    const expires = Number(expiresText);
    const expected = this.signature(op, contextId, filePath, expires);
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return 'The URL signature does not match.';
    if (method !== METHOD[op]) return `This URL is for ${METHOD[op]} only.`;
    if (now > expires * 1000) return 'The URL has expired.';
    return { op, contextId, filePath };
  }
}

function fail(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { Code: code, Message: message, HttpStatusCode: status, Success: false });
}

/** Answers one request under /context-files/. */
export async function handleFileUrl(req: IncomingMessage, res: ServerResponse, signer: FileUrlSigner, store: ContextStore): Promise<void> {
  const grant = signer.verify(req.method ?? '', req.url ?? '');
  if (typeof grant === 'string') {
    req.resume();
    fail(res, 403, 'AccessDenied', grant);
    return;
  }
  const record = store.find(grant.contextId);
  let key: string;
  try {
    key = contextFilePath(grant.filePath, 'path');
  } catch {
    req.resume();
    fail(res, 400, 'InvalidParameter', 'The URL names an invalid path.');
    return;
  }
  if (!record) {
    req.resume();
    fail(res, 404, 'InvalidContext.NotFound', `The context does not exist: ${grant.contextId}`);
    return;
  }
  if (grant.op === 'upload') {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > store.limits.maxFileBytes) {
      req.resume();
      fail(res, 413, 'RequestTooLarge', `The file is larger than the limit of ${store.limits.maxFileBytes} bytes.`);
      return;
    }
    try {
      await store.putFile(record, key, req);
    } catch (err) {
      if (err instanceof FileTooLargeError) {
        req.resume();
        fail(res, 413, 'RequestTooLarge', err.message);
        return;
      }
      throw err;
    }
    res.writeHead(200, { 'Content-Length': '0' }).end();
    return;
  }
  const file = record.files.get(key);
  if (!file) {
    fail(res, 404, 'InvalidContextFile.NotFound', `The file does not exist in context ${record.id}: ${key}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.size) });
  await pipeline(store.openBlob(record, file), res);
}
