/**
 * Encodes one AgentBay POP RPC call exactly as the official SDK does (docs/protocol.md §2.1):
 * five common query parameters, form body built like Node's querystring (spaces as %20),
 * `Authorization=Bearer <key>` as a parameter, and the three query-placement exceptions.
 */
import { createHash, randomFillSync } from 'node:crypto';
import { hostname } from 'node:os';
import { stringify } from 'node:querystring';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../catalogue/version';

export const API_VERSION = '2025-05-06';

/** A value the wire accepts; objects must already be JSON strings (the SDK pre-serialises them). */
export type RpcValue = string | number | boolean | undefined | null;
export type RpcParams = Record<string, RpcValue>;

/** Parameters that travel in the query string instead of the form body, per action. */
const QUERY_PLACED: Record<string, readonly string[]> = {
  SyncContext: ['Authorization'],
  GetSessionDetail: ['SessionId'],
};
/** Actions sent as GET with every parameter in the query string. */
const GET_ACTIONS: ReadonlySet<string> = new Set(['GetAndLoadInternalContext']);

export interface EncodedRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/?Action=...`. */
  pathAndQuery: string;
  headers: Record<string, string>;
  /** Form body, absent for GET. */
  body?: string;
}

export interface EncodeOptions {
  now?: Date;
  nonce?: string;
  /** Default: `userAgent()` without a runtime. */
  userAgent?: string;
}

/**
 * `n8n-nodes-agentbay/<version> (<runtime>) Node.js/<version>`: names this package, not the SDK or
 * the HTTP library, so the service (and a proxy's log) can tell who is calling.
 */
export function userAgent(framework?: string): string {
  const runtime = framework ? ` (${framework.replace(/[^\w.-]/g, '')})` : '';
  return `${PACKAGE_NAME}/${PACKAGE_VERSION}${runtime} Node.js/${process.version}`;
}

const DEFAULT_USER_AGENT = userAgent();

/** Calls within one second share their timestamp text. */
let lastTimestamp = { second: Number.NaN, text: '' };

/** UTC `YYYY-MM-DDTHH:mm:ssZ` without milliseconds. */
export function rpcTimestamp(now: Date): string {
  const second = Math.floor(now.getTime() / 1000);
  if (second !== lastTimestamp.second) lastTimestamp = { second, text: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  return lastTimestamp.text;
}

/** Host name and pid do not change while the process runs; read them once (hostname() is a system call). */
let noncePrefix: string | undefined;

/** Random bytes drawn 4 KiB at a time: one fill per 256 nonces instead of one per call (bench/). */
const NONCE_RANDOM_BYTES = 16;
const randomPool = Buffer.alloc(4096);
let randomPoolOffset = randomPool.length;

function nonceRandom(): string {
  if (randomPoolOffset + NONCE_RANDOM_BYTES > randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPoolOffset += NONCE_RANDOM_BYTES;
  return randomPool.toString('hex', randomPoolOffset - NONCE_RANDOM_BYTES, randomPoolOffset);
}

/** 64 hex chars: SHA-256 of hostname + pid + random, as the SDK builds it. */
export function signatureNonce(): string {
  noncePrefix ??= `${hostname()}${process.pid}`;
  return createHash('sha256').update(`${noncePrefix}${nonceRandom()}`).digest('hex');
}

/** Drops null/undefined (the SDK omits them) and converts the rest with toString(); empty strings stay. */
function wireValues(params: RpcParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    out[key] = String(value);
  }
  return out;
}

export function encodeRpcRequest(
  action: string,
  params: RpcParams,
  apiKey: string,
  options: EncodeOptions = {},
): EncodedRequest {
  const all = wireValues({ ...params, Authorization: `Bearer ${apiKey}` });
  const common: Record<string, string> = {
    Action: action,
    Format: 'json',
    Version: API_VERSION,
    Timestamp: rpcTimestamp(options.now ?? new Date()),
    SignatureNonce: options.nonce ?? signatureNonce(),
  };
  const headers: Record<string, string> = {
    'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
    'x-acs-version': API_VERSION,
    'x-acs-action': action,
  };

  if (GET_ACTIONS.has(action)) {
    return { method: 'GET', pathAndQuery: `/?${stringify({ ...common, ...all })}`, headers };
  }

  const queryPlaced = QUERY_PLACED[action] ?? [];
  const query: Record<string, string> = { ...common };
  const body: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (queryPlaced.includes(key)) query[key] = value;
    else body[key] = value;
  }
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: 'POST', pathAndQuery: `/?${stringify(query)}`, headers, body: stringify(body) };
}
