/** n8n's list searches and load options for the pickers (core/pickers.ts), with the node's credential. */
import type { ILoadOptionsFunctions, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { N8N_CREDENTIAL_NAME } from '../core/catalogue/naming';
import type { AgentBayClient } from '../core/client/client';
import { clientFromSettings, type ConnectionSettings } from '../core/connection';
import { imageChoices, mcpToolChoices, sessionChoices, type Choice } from '../core/pickers';
import { toN8nError } from './errors';
import { SESSION_PARAMETER, unwrapLocator } from './properties';

async function withClient<T>(context: ILoadOptionsFunctions, use: (client: AgentBayClient) => Promise<T>): Promise<T> {
  const settings = (await context.getCredentials(N8N_CREDENTIAL_NAME)) as unknown as ConnectionSettings;
  const client = clientFromSettings(settings, 'n8n');
  try {
    return await use(client);
  } catch (error) {
    throw toN8nError(context.getNode(), error, 0);
  } finally {
    client.close();
  }
}

const asResults = (choices: Choice[]): INodeListSearchResult => ({ results: choices.map(({ name, value }) => ({ name, value })) });

export async function searchSessions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
  return asResults(await withClient(this, (client) => sessionChoices(client, filter)));
}

export async function searchImages(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
  return asResults(imageChoices(filter));
}

/** The tools of the session the node names (a literal ID), else of the default image. */
export async function mcpToolNames(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
  const session = unwrapLocator(this.getCurrentNodeParameter(SESSION_PARAMETER));
  const sessionId = typeof session === 'string' && !session.startsWith('=') ? session : '';
  const choices = await withClient(this, (client) => mcpToolChoices(client, { sessionId }));
  return choices.map(({ name, value, description }) => ({ name, value, ...(description ? { description } : {}) }));
}
