/**
 * One Action request, end to end: body, parameters, faults, auth, Action lookup, handler,
 * envelope, log line. The log line never carries the Authorization parameter.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findAction, KNOWN_UNSUPPORTED, type ActionDefinition, type ServerInfo } from './actions';
import { checkAuthorization } from './protocol/auth';
import { errorEnvelope, newRequestId, successEnvelope } from './protocol/envelope';
import { ApiError, internalError, invalidAction, invalidParameter } from './protocol/errors';
import { readBody, sendJson } from './protocol/http-io';
import { mergeParams, parseForm, queryOf, type RawParams } from './protocol/params';
import type { FaultInjector } from './faults';
import type { WorkspaceFactory } from './sandbox/contract';
import type { BrowserService } from './browser/browser-service';
import type { ContextService } from './contexts';
import type { SessionStore } from './session-store';

export interface DispatchDeps {
  readonly apiKey: string;
  readonly store: SessionStore;
  readonly factory: WorkspaceFactory;
  readonly server: ServerInfo;
  readonly contexts: ContextService;
  readonly browsers: BrowserService;
  readonly faults: FaultInjector;
  readonly maxBodyBytes: number;
  readonly log: (line: string) => void;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function isForm(contentType: string | undefined): boolean {
  return contentType === undefined || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

async function readParams(req: IncomingMessage, maxBodyBytes: number): Promise<RawParams> {
  const body = await readBody(req, maxBodyBytes);
  if (body !== '' && !isForm(req.headers['content-type'])) {
    throw invalidParameter('Invalid Content-Type: expected application/x-www-form-urlencoded parameters.');
  }
  return mergeParams(parseForm(queryOf(req.url ?? '')), parseForm(body));
}

/** Client-chosen text in a log line: keep it short and on one line. */
function loggable(text: string): string {
  return text.replace(/[^\w.:-]/g, '?').slice(0, 80);
}

function actionNameOf(req: IncomingMessage, params: RawParams): string {
  const header = req.headers['x-acs-action'];
  return params.Action ?? (typeof header === 'string' ? header : '');
}

function lookUp(name: string, method: string | undefined): ActionDefinition {
  if (name === '') throw invalidAction('Missing Action: send it as the Action query parameter.');
  const action = findAction(name);
  if (!action) {
    throw invalidAction(
      KNOWN_UNSUPPORTED.has(name)
        ? `The Action ${name} is not supported by the local server yet.`
        : `The Action ${name} does not exist.`,
    );
  }
  // Only GetAndLoadInternalContext is a GET in the cloud API.
  if (!action.methods.includes(method ?? '')) throw new ApiError('UnsupportedHTTPMethod', `The Action ${name} must be sent with ${action.methods.join(' or ')}.`, 405);
  return action;
}

export async function handleActionRequest(req: IncomingMessage, res: ServerResponse, deps: DispatchDeps): Promise<void> {
  const requestId = newRequestId();
  const started = Date.now();
  let action = '';
  let sessionId = '';
  const finish = (status: number, code: string): void =>
    deps.log(
      `${req.method} ${loggable(action) || '-'}${sessionId ? ` ${loggable(sessionId)}` : ''} -> ${status} ${code} ` +
        `${Date.now() - started}ms ${requestId}`,
    );

  // The client going away aborts a running tool call.
  const disconnected = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) disconnected.abort();
  });

  let leave = (): void => undefined;
  try {
    const params = await readParams(req, deps.maxBodyBytes);
    action = actionNameOf(req, params);
    sessionId = params.SessionId ?? '';
    leave = deps.faults.enter(action);
    const fault = deps.faults.next(action);
    await sleep(deps.faults.latencyFor(action));
    if (fault.kind === 'drop') {
      req.socket.destroy();
      finish(0, 'dropped(fault)');
      return;
    }
    if (fault.kind === 'error') throw fault.error;
    if (fault.kind === 'errorIn200') {
      sendJson(res, 200, errorEnvelope(requestId, fault.error), { 'x-acs-request-id': requestId });
      finish(200, `${fault.error.code}(fault)`);
      return;
    }
    checkAuthorization(params.Authorization, deps.apiKey);
    const definition = lookUp(action, req.method);
    const result = await definition.handle({
      raw: params,
      store: deps.store,
      factory: deps.factory,
      server: deps.server,
      contexts: deps.contexts,
      browsers: deps.browsers,
      signal: disconnected.signal,
    });
    // After-faults: the Action has run; its answer is lost on the way back.
    if (fault.kind === 'errorAfter') throw fault.error;
    if (fault.kind === 'dropAfter') {
      req.socket.destroy();
      finish(0, 'dropped-after-action(fault)');
      return;
    }
    if (fault.kind === 'notJsonAfter') {
      if (!res.destroyed) res.writeHead(502, { 'Content-Type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      finish(502, 'not-json-after-action(fault)');
      return;
    }
    if (fault.kind === 'slowAfter') await sleep(fault.ms);
    sendJson(res, 200, successEnvelope(requestId, result.data, result.envelope), { 'x-acs-request-id': requestId });
    finish(200, 'ok');
  } catch (err) {
    if (res.destroyed) {
      finish(0, 'client-closed');
      return;
    }
    const error = err instanceof ApiError ? err : internalError();
    if (!(err instanceof ApiError)) deps.log(`${requestId} internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    sendJson(res, error.httpStatus, errorEnvelope(requestId, error), { 'x-acs-request-id': requestId, ...error.headers });
    finish(error.httpStatus, error.code);
  } finally {
    leave();
  }
}
