/**
 * The n8n execute loop for any operation: one run per input item (up to Concurrency at once),
 * every output item paired to its input and in input order, the session carried on `json.session`
 * and the context on `json.context`, Continue On Fail honoured per item.
 */
import { NodeOperationError, type IBinaryKeyData, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { N8N_CREDENTIAL_NAME } from '../core/catalogue/naming';
import { contextRefFrom, type ContextRef } from '../core/catalogue/context';
import { englishOf } from '../core/catalogue/runtime-texts';
import type { SessionRef } from '../core/catalogue/session';
import { takesContext, takesSession, type OperationDefinition } from '../core/catalogue/types';
import { clientFromSettings, type ConnectionSettings } from '../core/connection';
import type { AgentBayClient } from '../core/client/client';
import { runOperation } from '../core/run-operation';
import { errorData, toN8nError } from './errors';
import { readParameters } from './parameters';
import { runItems } from './item-pool';
import { CONCURRENCY_OPTION, CONTEXT_PARAMETER, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, OPTIONS_COLLECTION, SESSION_PARAMETER, unwrapLocator } from './properties';

function incomingSession(item: INodeExecutionData): SessionRef | undefined {
  const session = item.json.session as SessionRef | undefined;
  return session && typeof session === 'object' && typeof session.sessionId === 'string' ? session : undefined;
}

/** The session param is usually the id from the item; keep the item's full session object when it matches. */
function rawSession(context: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): unknown {
  const value = unwrapLocator(context.getNodeParameter(SESSION_PARAMETER, itemIndex, '') as unknown);
  const carried = incomingSession(item);
  if (carried && (value === carried.sessionId || value === carried)) return carried;
  return value;
}

/** The Context field is usually the id of the item's context; keep the item's full context object when it matches. */
function rawContext(context: IExecuteFunctions, carried: ContextRef | undefined, itemIndex: number): unknown {
  const value = context.getNodeParameter(CONTEXT_PARAMETER, itemIndex, '') as unknown;
  if (carried && (value === carried.contextId || value === carried)) return carried;
  return value;
}

/** Options › Concurrency, checked before any item runs (an expression can give anything). */
function concurrencyOf(context: IExecuteFunctions): number {
  const value = context.getNodeParameter(`${OPTIONS_COLLECTION}.${CONCURRENCY_OPTION}`, 0, DEFAULT_CONCURRENCY) as unknown;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
    throw new NodeOperationError(context.getNode(), `Concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, got ${JSON.stringify(value)}`, {
      itemIndex: 0,
      description: `Expected a whole number from 1 to ${MAX_CONCURRENCY} in Options › Concurrency`,
    });
  }
  return value;
}

export async function executeOperation(
  this: IExecuteFunctions,
  operation: OperationDefinition,
): Promise<INodeExecutionData[][]> {
  const items = this.getInputData();
  const concurrency = concurrencyOf(this);
  const label = `AgentBay ${operation.displayName}`;
  let client: AgentBayClient | undefined;
  // A credential that cannot make a client (no key, a bad region or proxy) fails each item when it
  // first needs the client: after that item's own input checks, with its index, under Continue On Fail.
  let clientSetupError: unknown;
  const getClient = (): AgentBayClient => {
    if (clientSetupError !== undefined) throw clientSetupError;
    if (!client) throw new Error('credentials not loaded');
    return client;
  };
  if (!operation.offline) {
    const credentials = (await this.getCredentials(N8N_CREDENTIAL_NAME)) as unknown as ConnectionSettings;
    try {
      client = clientFromSettings(credentials, 'n8n');
    } catch (error) {
      clientSetupError = error;
    }
  }

  const signal = this.getExecutionCancelSignal?.();
  const runItem = async (itemIndex: number): Promise<INodeExecutionData> => {
    const item = items[itemIndex];
    const carried = incomingSession(item);
    const carriedContext = contextRefFrom(item.json.context);
    try {
      const { session, context, output } = await runOperation(operation, {
        rawParameters: await readParameters(this, operation, itemIndex),
        rawSession: takesSession(operation) ? rawSession(this, item, itemIndex) : undefined,
        sessionField: 'Session ID',
        rawContext: takesContext(operation) ? rawContext(this, carriedContext, itemIndex) : undefined,
        carriedContext,
        contextField: 'Context',
        getClient,
        progress: (text) => this.logger.info(`${label} [item ${itemIndex}]: ${englishOf(text)}`),
        onRetry: (text) => this.logger.warn(`${label} [item ${itemIndex}]: ${text}`),
        signal,
      });
      if (output.notice) this.logger.info(`${label} [item ${itemIndex}]: ${output.notice}`);
      const json: IDataObject = { ...(output.json as IDataObject) };
      const nextSession = output.session === undefined ? (session ?? carried) : output.session;
      if (nextSession) json.session = nextSession as IDataObject;
      const nextContext = output.context === undefined ? (context ?? carriedContext) : output.context;
      if (nextContext) json.context = nextContext as IDataObject;
      const result: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
      if (output.binary && output.binary.length > 0) {
        const binary: IBinaryKeyData = {};
        for (const file of output.binary) {
          binary[file.key] = await this.helpers.prepareBinaryData(file.data, file.fileName, file.mimeType);
        }
        result.binary = binary;
      }
      return result;
    } catch (error) {
      const n8nError = toN8nError(this.getNode(), error, itemIndex);
      if (!this.continueOnFail()) throw n8nError;
      // Keep the session and context on the failed item so a later Delete Session can still clean up.
      const json: IDataObject = { error: n8nError.message, ...errorData(n8nError) };
      if (carried) json.session = carried as IDataObject;
      if (carriedContext) json.context = carriedContext as IDataObject;
      return { json, pairedItem: { item: itemIndex } };
    }
  };
  return [await runItems(items.length, concurrency, runItem)];
}
