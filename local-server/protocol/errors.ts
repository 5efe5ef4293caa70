/**
 * Business errors of the local server. Each one becomes the error envelope of docs/protocol.md §2.2/§8:
 * `{RequestId, Code, Message, HttpStatusCode, Success:false}` with the matching HTTP status.
 */

export class ApiError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  /** Extra response headers (e.g. `x-acs-retry-after` for throttling). */
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, httpStatus = 400, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.httpStatus = httpStatus;
    this.headers = headers;
  }
}

/** The only code the SDK recognises (docs/protocol.md §6); it also matches on the substring "NotFound". */
export function sessionNotFound(sessionId: string, detail = 'The specified session does not exist.'): ApiError {
  return new ApiError('InvalidMcpSession.NotFound', `${detail} SessionId: ${sessionId}`);
}

/** Must not contain "NotFound": the SDK would take a bad key for a deleted session. */
export function invalidApiKey(message: string): ApiError {
  return new ApiError('InvalidApiKey', message, 401);
}

export function invalidParameter(message: string): ApiError {
  return new ApiError('InvalidParameter', message);
}

export function invalidAction(message: string): ApiError {
  return new ApiError('InvalidAction', message);
}

/** An action that needs another session state (e.g. pausing a paused session). */
export function invalidSessionStatus(message: string): ApiError {
  return new ApiError('InvalidSessionStatus', message);
}

export function internalError(): ApiError {
  return new ApiError('InternalError', 'The local server failed to handle the request; see its log.', 500);
}
