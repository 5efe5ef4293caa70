/**
 * The one error type the client raises. Adapters map it to their runtime's idiom
 * (Node-RED done(err), n8n NodeApiError), so it carries everything they need.
 */
import { englishOf, type RuntimeText } from '../catalogue/runtime-texts';

export interface AgentBayErrorDetails {
  /** Service error code (`InvalidMcpSession.NotFound`, `Throttling.User`, ...) or a client-side code. */
  code: string;
  requestId?: string;
  httpStatus?: number;
  /** The service asked us to slow down (`Code` contains `Throttling`). */
  throttled?: boolean;
  /** Seconds from the `x-acs-retry-after` header, when throttled. */
  retryAfterSeconds?: number;
  /** Whether repeating the same request could succeed (throttling, 5xx, network). */
  retryable?: boolean;
  /** The request certainly never reached the service (connection refused, host not found). */
  notSent?: boolean;
}

export class AgentBayError extends Error {
  readonly code: string;
  readonly requestId: string;
  readonly httpStatus: number | undefined;
  readonly throttled: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly retryable: boolean;
  readonly notSent: boolean;

  constructor(message: string, details: AgentBayErrorDetails) {
    super(message);
    this.name = 'AgentBayError';
    this.code = details.code;
    this.requestId = details.requestId ?? '';
    this.httpStatus = details.httpStatus;
    this.throttled = details.throttled ?? false;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.retryable = details.retryable ?? false;
    this.notSent = details.notSent ?? false;
  }

  /** The SDK treats any error whose text contains "NotFound" as "session not found" (docs/protocol.md §6). */
  get isNotFound(): boolean {
    return this.code.includes('NotFound');
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      throttled: this.throttled,
      retryAfterSeconds: this.retryAfterSeconds,
      retryable: this.retryable,
    };
  }
}

/** Bad input found before any request is sent; names the field and the expected form. */
export class InputValidationError extends Error {
  readonly field: string;
  readonly expected: string;
  /** The message as a keyed text, for runtimes that show it in another language. */
  readonly text: RuntimeText | undefined;

  constructor(field: string, expected: string, message?: string | RuntimeText) {
    super(message === undefined ? `${field}: ${expected}` : englishOf(message));
    this.name = 'InputValidationError';
    this.field = field;
    this.expected = expected;
    this.text = typeof message === 'object' ? message : undefined;
  }
}

const BEARER_PATTERN = /Bearer\s+[^\s&"',;]+/gi;

/** Removes any bearer token (and the literal key, when known) from text that may reach a user. */
export function redactSecrets(text: string, apiKey?: string): string {
  let result = text.replace(BEARER_PATTERN, 'Bearer [REDACTED]');
  if (apiKey && apiKey.length >= 4) {
    result = result.split(apiKey).join('[REDACTED]');
    result = result.split(encodeURIComponent(apiKey)).join('[REDACTED]');
  }
  return result;
}
