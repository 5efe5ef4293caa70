/**
 * The editor's pickers in Node-RED: `GET <admin root>/agentbay-config/<config id>/<list>` answers
 * `{ choices: [{ name, value, description? }] }` for `sessions`, `images` and `mcp-tools` (query:
 * `filter`, and `sessionId` for mcp-tools), through the deployed connection node's client. It sits
 * behind Node-RED's admin auth (`agentbay-config.read`: any user who may read the flows); the key never
 * leaves the runtime (the answer holds only the lists), and errors carry the service's message only.
 */
import { NODE_RED_CONFIG_TYPE } from '../core/catalogue/naming';
import { imageChoices, mcpToolChoices, sessionChoices, type Choice } from '../core/pickers';
import type { AgentBayClient } from '../core/client/client';
import type { AdminRequest, AdminResponse, RedApi } from './red-api';

export const PICKER_LISTS = ['sessions', 'images', 'mcp-tools'] as const;
const MAX_QUERY_LENGTH = 256;

const queryText = (value: unknown): string => (typeof value === 'string' ? value.slice(0, MAX_QUERY_LENGTH) : '');

function choicesFor(list: string, client: () => AgentBayClient, query: Record<string, unknown>): Promise<Choice[]> {
  const filter = queryText(query.filter);
  if (list === 'sessions') return sessionChoices(client(), filter);
  if (list === 'images') return Promise.resolve(imageChoices(filter));
  return mcpToolChoices(client(), { sessionId: queryText(query.sessionId), imageId: queryText(query.imageId) });
}

export function registerPickerEndpoint(RED: RedApi): void {
  if (!RED.httpAdmin || !RED.auth) return;
  RED.httpAdmin.get(
    `/${NODE_RED_CONFIG_TYPE}/:id/:list`,
    RED.auth.needsPermission(`${NODE_RED_CONFIG_TYPE}.read`),
    (request: AdminRequest, response: AdminResponse) => {
      const list = request.params.list ?? '';
      if (!(PICKER_LISTS as readonly string[]).includes(list)) {
        response.status(404).json({ error: `Unknown list "${list.slice(0, 64)}": one of ${PICKER_LISTS.join(', ')}` });
        return;
      }
      const config = RED.nodes.getNode(request.params.id ?? '') as { type?: string; getClient?: () => AgentBayClient } | null;
      if (!config || config.type !== NODE_RED_CONFIG_TYPE || typeof config.getClient !== 'function') {
        response.status(404).json({ error: 'No deployed AgentBay connection with this id: deploy the connection node first.' });
        return;
      }
      const getClient = config.getClient.bind(config);
      choicesFor(list, getClient, request.query).then(
        (choices) => response.json({ choices }),
        (error: unknown) => response.status(502).json({ error: error instanceof Error ? error.message : String(error) }),
      );
    },
  );
}
