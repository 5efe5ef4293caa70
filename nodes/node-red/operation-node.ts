/**
 * The Node-RED runtime for any operation: evaluate the TypedInputs against the message, run the
 * operation, put the result in msg.payload, the session on msg.agentbay.session and the context on
 * msg.agentbay.context. Failures go to done(err) (Catch nodes see them) with a red status; the
 * message keeps its session and context so an error path can still delete them.
 */
import { DELETE_ON_STOP } from '../core/catalogue/common-parameters';
import { operationById } from '../core/catalogue/index';
import { NODE_RED_CONFIG_TYPE, nodeRedType } from '../core/catalogue/naming';
import type { ContextRef } from '../core/catalogue/context';
import type { SessionRef } from '../core/catalogue/session';
import { parametersFor, takesContext, takesSession, type OperationDefinition, type OperationOutput } from '../core/catalogue/types';
import { AgentBayError, InputValidationError } from '../core/client/errors';
import type { AgentBayClient } from '../core/client/client';
import { releaseSession } from '../core/release-session';
import { runOperation } from '../core/run-operation';
import type { AgentBayConfigNode } from './config-node';
import { OpenSessions } from './open-sessions';
import { runtimeMessages, type RuntimeMessages } from './runtime-messages';
import { fieldLabelText, runtimeText, type RuntimeText } from '../core/catalogue/runtime-texts';
import type { NodeDefinition, NodeMessage, NodeStatus, RedApi, RedNode } from './red-api';
import { CONTEXT_PROPERTY, CONTEXT_SOURCE, defaultTypedInput, SESSION_SOURCE } from './typed-inputs';

const STATUS_TEXT_LIMIT = 40;
/**
 * "working…" appears only for a message still running after this long. Shorter runs would only
 * flicker it, and each status update costs the runtime (status nodes, the editor's websocket) more
 * than a fast call itself (bench/).
 */
export const WORKING_STATUS_DELAY_MS = 100;
const LITERAL_TYPES: ReadonlySet<string> = new Set(['num', 'json', 'bool']);

function evaluate(RED: RedApi, node: RedNode, msg: NodeMessage, value: unknown, type: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    RED.util.evaluateNodeProperty(value, type, node, msg, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function readParameters(
  RED: RedApi,
  node: RedNode,
  definition: NodeDefinition,
  operation: OperationDefinition,
  msg: NodeMessage,
): Promise<Record<string, unknown>> {
  const raw: Record<string, unknown> = {};
  for (const parameter of parametersFor(operation, 'node-red')) {
    const fallback = defaultTypedInput(parameter);
    const stored = definition[parameter.name];
    const type = typeof definition[`${parameter.name}Type`] === 'string' ? String(definition[`${parameter.name}Type`]) : fallback.type;
    const value = stored === undefined ? fallback.value : stored;
    // An empty num/json/bool field means "not set"; evaluating it would give 0 or a parse error.
    if (value === '' && LITERAL_TYPES.has(type)) continue;
    try {
      raw[parameter.name] = await evaluate(RED, node, msg, value, type);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InputValidationError(
        parameter.name,
        parameter.expected,
        runtimeText('fieldNotEvaluated', { label: fieldLabelText(parameter.name, parameter.displayName), name: parameter.name, reason }),
      );
    }
  }
  return raw;
}

function shorten(text: string): string {
  return text.length > STATUS_TEXT_LIMIT ? `${text.slice(0, STATUS_TEXT_LIMIT - 1)}…` : text;
}

function applyOutput(
  msg: NodeMessage,
  output: OperationOutput,
  session: SessionRef | undefined,
  context: ContextRef | undefined,
): void {
  const payload: Record<string, unknown> = { ...output.json };
  for (const file of output.binary ?? []) payload[file.key] = file.data;
  msg.payload = payload;
  const agentbay = (typeof msg.agentbay === 'object' && msg.agentbay !== null ? msg.agentbay : {}) as Record<string, unknown>;
  if (output.session === null) delete agentbay.session;
  else if (output.session) agentbay.session = output.session;
  else if (session && agentbay.session === undefined) agentbay.session = session;
  if (output.context === null) delete agentbay.context;
  else if (output.context) agentbay.context = output.context;
  else if (context && agentbay.context === undefined) agentbay.context = context;
  msg.agentbay = agentbay;
}

/**
 * The error handed to done(). A Catch node builds `msg.error` from only `String(err)`, `err.code`,
 * `err.stack` and `err.cause`, so: the name prefix is dropped (users read the message), the service
 * code is `code`, and the service's details (code, request id, HTTP status) are a plain object in
 * `cause` — the only place where the request id can reach `msg.error`.
 */
export function reportedError(error: unknown, messages?: RuntimeMessages): Error {
  const message =
    error instanceof InputValidationError && error.text && messages ? messages.text(error.text) : error instanceof Error ? error.message : String(error);
  const reported = error instanceof AgentBayError ? new Error(message, { cause: serviceDetails(error) }) : new Error(message);
  reported.name = '';
  const code = error instanceof AgentBayError ? error.code : error instanceof InputValidationError ? 'InvalidInput' : undefined;
  if (code) Object.assign(reported, { code });
  return reported;
}

function serviceDetails(error: AgentBayError): Record<string, unknown> {
  const details: Record<string, unknown> = { code: error.code, requestId: error.requestId };
  if (error.httpStatus !== undefined) details.httpStatus = error.httpStatus;
  if (error.throttled) details.throttled = true;
  return details;
}

function errorStatus(error: unknown): RuntimeText {
  if (error instanceof AgentBayError) return runtimeText('statusServiceError', { code: error.code });
  if (error instanceof InputValidationError) return runtimeText('statusInvalidField', { field: error.field });
  return runtimeText('statusError');
}

export function registerOperationNode(RED: RedApi, operation: OperationDefinition): void {
  RED.nodes.registerType(nodeRedType(operation), function (this: RedNode, definition: NodeDefinition) {
    RED.nodes.createNode(this, definition);
    const node: RedNode = this as RedNode;
    // Status texts and input errors in the runtime's language (locales/<lang>/<type>.json), English when it has none.
    const messages = runtimeMessages(RED, nodeRedType(operation));
    const inFlight = new Set<AbortController>();
    const openSessions = new OpenSessions();
    const workingStatus: NodeStatus = { fill: 'blue', shape: 'ring', text: messages.own('status.working', `${operation.displayName.toLowerCase()}…`) };
    const okStatus: NodeStatus = { fill: 'green', shape: 'dot', text: messages.own('status.ok', 'ok') };
    // The status shown, so an unchanged one (`ok` after `ok`) is not sent to the runtime again.
    let shown = '';
    const showStatus = (status: NodeStatus | Record<string, never>): void => {
      const key = `${status.fill ?? ''}|${status.shape ?? ''}|${status.text ?? ''}`;
      if (key === shown) return;
      shown = key;
      node.status(status);
    };
    let workingTimer: NodeJS.Timeout | undefined;
    const showWorkingLater = (): void => {
      workingTimer ??= setTimeout(() => {
        workingTimer = undefined;
        if (inFlight.size > 0) showStatus(workingStatus);
      }, WORKING_STATUS_DELAY_MS);
    };
    const finished = (abort: AbortController): void => {
      inFlight.delete(abort);
      if (inFlight.size === 0 && workingTimer !== undefined) {
        clearTimeout(workingTimer);
        workingTimer = undefined;
      }
    };

    node.on('input', (msg, send, done) => {
      const abort = new AbortController();
      inFlight.add(abort);
      showWorkingLater();
      const run = async () => {
        const config = RED.nodes.getNode(String(definition.server ?? '')) as AgentBayConfigNode | null;
        // A missing msg.agentbay makes Node-RED's property lookup throw; that is "no session" here.
        const rawSession =
          takesSession(operation)
            ? await evaluate(
                RED,
                node,
                msg,
                definition.session ?? SESSION_SOURCE.value,
                String(definition.sessionType ?? SESSION_SOURCE.type),
              ).catch(() => undefined)
            : undefined;
        const carriedContext = typeof msg.agentbay === 'object' && msg.agentbay !== null ? (msg.agentbay as { context?: unknown }).context : undefined;
        const rawContext = takesContext(operation)
          ? await evaluate(
              RED,
              node,
              msg,
              definition[CONTEXT_PROPERTY] ?? CONTEXT_SOURCE.value,
              String(definition[`${CONTEXT_PROPERTY}Type`] ?? CONTEXT_SOURCE.type),
            ).catch(() => undefined)
          : undefined;
        let client: AgentBayClient | undefined;
        const { session, context, output, input } = await runOperation(operation, {
          rawParameters: await readParameters(RED, node, definition, operation, msg),
          rawSession,
          sessionField: 'Session',
          rawContext,
          carriedContext,
          contextField: 'Context',
          getClient: () => {
            if (!config || typeof config.getClient !== 'function') {
              throw new InputValidationError('server', `an ${NODE_RED_CONFIG_TYPE} node`, runtimeText('connectionNotSet'));
            }
            client = config.getClient();
            return client;
          },
          progress: (text) => showStatus({ fill: 'blue', shape: 'ring', text: shorten(messages.text(text)) }),
          onRetry: (text) => node.warn(text),
          signal: abort.signal,
        });
        if (output.session === null && session) OpenSessions.forget(session.sessionId);
        if (output.session && client && input[DELETE_ON_STOP] === true) {
          const sessionId = output.session.sessionId;
          if (abort.signal.aborted) {
            // The flow stopped between the answer and here, after the close handler's clean-up: delete it now.
            await releaseSession(client, sessionId).catch((error: unknown) => node.warn(`could not delete session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`));
            throw new AgentBayError(`Cancelled: the flow stopped; session ${sessionId} was deleted again`, { code: 'Aborted' });
          }
          if (!openSessions.track(sessionId, client)) {
            node.warn(`too many open sessions to track: session ${sessionId} will not be deleted when the flow stops`);
          }
        }
        applyOutput(msg, output, session, context);
        showStatus(output.notice ? { fill: 'yellow', shape: 'dot', text: shorten(output.notice) } : okStatus);
        send(msg);
        done();
      };
      run()
        .catch((error: unknown) => {
          showStatus({ fill: 'red', shape: 'ring', text: shorten(messages.text(errorStatus(error))) });
          done(reportedError(error, messages));
        })
        .finally(() => finished(abort));
    });

    node.on('close', (_removed, done) => {
      for (const abort of inFlight) abort.abort();
      inFlight.clear();
      clearTimeout(workingTimer);
      workingTimer = undefined;
      // The clients are this node's own references: still usable when the config node has closed.
      void openSessions.deleteAll((text) => node.warn(text)).then(() => {
        showStatus({});
        done();
      });
    });
  });
}

/** The module a generated Node-RED entry file exports for one operation. */
export function nodeRedModule(operationId: string): (RED: RedApi) => void {
  const operation = operationById(operationId);
  return (RED) => registerOperationNode(RED, operation);
}
