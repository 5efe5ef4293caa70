/**
 * The `agentbay-config` node: holds the API key (a Node-RED credential, so it is stored outside
 * the flow file and never exported) and the endpoint, and hands operation nodes a client.
 */
import type { AgentBayClient } from '../core/client/client';
import { NODE_RED_CONFIG_TYPE } from '../core/catalogue/naming';
import { DEFAULT_REGION } from '../core/client/endpoint';
import { clientFromSettings, connectionFields } from '../core/connection';
import { registerPickerEndpoint } from './picker-endpoint';
import type { NodeDefinition, RedApi, RedNode } from './red-api';

export interface AgentBayConfigNode extends RedNode {
  getClient(): AgentBayClient;
}

/** Secret fields are credentials; the rest are ordinary node properties. */
export const CONFIG_CREDENTIALS = Object.fromEntries(
  connectionFields.filter((field) => field.secret).map((field) => [field.name, { type: 'password' as const }]),
);

export function registerConfigNode(RED: RedApi): void {
  RED.nodes.registerType(
    NODE_RED_CONFIG_TYPE,
    function (this: RedNode, definition: NodeDefinition) {
      RED.nodes.createNode(this, definition);
      const node = this as AgentBayConfigNode;
      let client: AgentBayClient | undefined;
      node.getClient = () => {
        client ??= clientFromSettings(
          {
            apiKey: node.credentials?.apiKey ?? '',
            region: String(definition.region ?? DEFAULT_REGION),
            customEndpoint: String(definition.customEndpoint ?? ''),
            timeoutMs: Number(definition.timeoutMs) || undefined,
            maxRetryWait: definition.maxRetryWait === undefined || definition.maxRetryWait === '' ? undefined : Number(definition.maxRetryWait),
            proxy: node.credentials?.proxy ?? '',
          },
          'node-red',
        );
        return client;
      };
    },
    { credentials: CONFIG_CREDENTIALS },
  );
  registerPickerEndpoint(RED);
}
