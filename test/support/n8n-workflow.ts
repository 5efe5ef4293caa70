/**
 * Runs a shipped n8n workflow file without an n8n server: from its trigger along the `main`
 * connections, each AgentBay node through its real `execute` with the workflow's own parameters
 * (resolved by n8n-workflow, see ./n8n.ts), its output feeding the next node. Triggers start with one
 * empty item. A workflow with branches or other node types is refused: this runs linear chains only.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { operations } from '../../nodes/core/catalogue/index';
import { n8nNodeName } from '../../nodes/core/catalogue/naming';
import type { ConnectionSettings } from '../../nodes/core/connection';
import { executeN8nNode } from './n8n';

export interface WorkflowNode {
  name: string;
  type: string;
  parameters: INodeParameters;
  onError?: string;
}

export interface WorkflowFile {
  nodes: WorkflowNode[];
  connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const PACKAGE_PREFIX = 'n8n-nodes-agentbay.';
const TRIGGERS = new Set(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']);

/** Each node's output items by node name, in the order the chain ran. */
export async function runN8nWorkflow(workflow: WorkflowFile, credentials: ConnectionSettings): Promise<Map<string, INodeExecutionData[]>> {
  const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
  const triggers = workflow.nodes.filter((node) => TRIGGERS.has(node.type));
  if (triggers.length !== 1) throw new Error(`expected one trigger, found ${triggers.length}`);
  const outputs = new Map<string, INodeExecutionData[]>();
  let node: WorkflowNode | undefined = triggers[0];
  let items: INodeExecutionData[] = [{ json: {} }];
  while (node) {
    if (node !== triggers[0]) {
      if (!node.type.startsWith(PACKAGE_PREFIX)) throw new Error(`${node.name}: ${node.type} is not a node this runner can execute`);
      const nodeName = node.type.slice(PACKAGE_PREFIX.length);
      const operation = operations.find((candidate) => n8nNodeName(candidate) === nodeName);
      if (!operation) throw new Error(`${node.name}: no operation for ${node.type}`);
      const { output } = await executeN8nNode(operation.id, {
        items,
        parameters: node.parameters,
        credentials,
        continueOnFail: node.onError === 'continueRegularOutput',
      });
      items = output[0];
    }
    outputs.set(node.name, items);
    const next: Array<Array<{ node: string }>> = workflow.connections[node.name]?.main ?? [];
    if (next.length > 1 || (next[0]?.length ?? 0) > 1) throw new Error(`${node.name} branches; this runner runs linear chains only`);
    const target = next[0]?.[0]?.node;
    node = target === undefined ? undefined : byName.get(target);
    if (target !== undefined && !node) throw new Error(`connection to unknown node ${target}`);
  }
  return outputs;
}
