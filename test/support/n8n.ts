/**
 * Executes this package's n8n nodes through their real `execute`, with the real n8n-workflow:
 * parameters are resolved by n8n's own NodeHelpers (defaults, display options) and expressions
 * by n8n's Workflow/Expression, errors are n8n's NodeApiError/NodeOperationError. What a full
 * n8n adds around that (the execution engine, binary-data service) is a small host here; the
 * real-n8n end-to-end harness is a separate test.
 */
import * as path from 'node:path';
import {
  NodeHelpers,
  NodeOperationError,
  Workflow,
  type IBinaryData,
  type IDataObject,
  type IExecuteFunctions,
  type INode,
  type INodeExecutionData,
  type INodeParameters,
  type INodeType,
  type INodeTypeDescription,
  type INodeTypes,
} from 'n8n-workflow';
import { operationById } from '../../nodes/core/catalogue/index';
import { n8nClassName, n8nNodeName } from '../../nodes/core/catalogue/naming';
import type { ConnectionSettings } from '../../nodes/core/connection';

const packageRoot = path.join(__dirname, '..', '..', '..');

/** Loads the node class from its built entry file, the way n8n's loader does. */
export function loadN8nNode(operationId: string): INodeType {
  const className = n8nClassName(operationById(operationId));
  const file = path.join(packageRoot, 'dist', 'nodes', className, `${className}.node.js`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const NodeClass = (require(file) as Record<string, new () => INodeType>)[className];
  return new NodeClass();
}

export interface N8nRun {
  items?: INodeExecutionData[];
  parameters?: INodeParameters;
  credentials?: ConnectionSettings;
  continueOnFail?: boolean;
  /** What `getExecutionCancelSignal` returns: aborting it is n8n cancelling the execution. */
  signal?: AbortSignal;
  /** Where the node's log lines go; also filled when the node throws (the result has them otherwise). */
  logs?: string[];
  /**
   * Run the node's AI-tool variant, as an agent calls it: the items are the tool call (`{ query: {...} }`,
   * the model's arguments, which `$fromAI` reads).
   */
  asTool?: boolean;
  /** The node's typeVersion, as a saved workflow stores it (default: the version n8n gives new nodes). */
  typeVersion?: number;
}

/**
 * The tool variant n8n derives from a node with `usableAsTool` when it loads it (n8n's
 * `tool-generation/ai-tools.js`, which lives in the n8n server, not in n8n-workflow): the replacements
 * applied, then `Tool` appended to the name and ` Tool` to the display name. `@tool` display options
 * key on the name's suffix.
 */
export function toolVariant(description: INodeTypeDescription): INodeTypeDescription {
  if (!description.usableAsTool) throw new Error(`${description.name} is not usable as a tool`);
  const replaced: INodeTypeDescription =
    typeof description.usableAsTool === 'object' ? { ...description, ...description.usableAsTool.replacements } : { ...description };
  return { ...replaced, name: `${replaced.name}Tool`, displayName: `${replaced.displayName} Tool`, usableAsTool: undefined };
}

export interface N8nResult {
  output: INodeExecutionData[][];
  logs: string[];
}

function nodeTypesFor(nodeType: INodeType): INodeTypes {
  return {
    getByName: () => nodeType,
    getByNameAndVersion: () => nodeType,
    getKnownTypes: () => ({}),
  } as unknown as INodeTypes;
}

function valueAt(parameters: INodeParameters, name: string): unknown {
  return name.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], parameters);
}

export async function executeN8nNode(operationId: string, run: N8nRun = {}): Promise<N8nResult> {
  const loaded = loadN8nNode(operationId);
  const nodeType: INodeType = run.asTool ? Object.assign(Object.create(loaded) as INodeType, { description: toolVariant(loaded.description) }) : loaded;
  const description = nodeType.description;
  const items: INodeExecutionData[] = run.items ?? [{ json: {} }];
  const node: INode = {
    id: 'node-under-test',
    name: description.defaults.name as string,
    type: `n8n-nodes-agentbay.${n8nNodeName(operationById(operationId))}${run.asTool ? 'Tool' : ''}`,
    // New nodes are the newest version (n8n adds them so); `typeVersion` runs a saved older one.
    typeVersion: run.typeVersion ?? description.defaultVersion ?? (Array.isArray(description.version) ? Math.max(...description.version) : description.version),
    position: [0, 0],
    parameters: {},
  };
  node.parameters =
    NodeHelpers.getNodeParameters(description.properties, run.parameters ?? {}, true, false, node, description) ?? {};
  const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypesFor(nodeType) });
  const logs: string[] = run.logs ?? [];

  const context = {
    getInputData: () => items,
    getNode: () => node,
    continueOnFail: () => run.continueOnFail === true,
    getExecutionCancelSignal: () => run.signal,
    getCredentials: async (name: string) => {
      if (!run.credentials) throw new NodeOperationError(node, `Node does not have any credentials set for "${name}"`);
      return run.credentials as unknown as IDataObject;
    },
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
      const raw = valueAt(node.parameters, name);
      if (raw === undefined) {
        if (fallback !== undefined) return fallback;
        throw new Error(`Could not get parameter "${name}"`);
      }
      return workflow.expression.getParameterValue(
        raw as string,
        null,
        0,
        itemIndex,
        node.name,
        items,
        'manual',
        {},
      );
    },
    logger: {
      info: (message: string) => logs.push(message),
      debug: (message: string) => logs.push(message),
      warn: (message: string) => logs.push(message),
      error: (message: string) => logs.push(message),
    },
    helpers: {
      assertBinaryData: (itemIndex: number, property: string): IBinaryData => {
        const binary = items[itemIndex]?.binary?.[property];
        if (!binary) {
          throw new NodeOperationError(node, `This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`, { itemIndex });
        }
        return binary;
      },
      getBinaryDataBuffer: async (itemIndex: number, property: string): Promise<Buffer> => {
        const binary = items[itemIndex]?.binary?.[property];
        if (!binary) throw new Error(`no binary property ${property}`);
        return Buffer.from(binary.data, "base64");
      },
      prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string): Promise<IBinaryData> => ({
        data: data.toString('base64'),
        mimeType: mimeType ?? 'application/octet-stream',
        fileName,
        fileSize: String(data.length),
      }),
    },
  } as unknown as IExecuteFunctions;

  const output = await nodeType.execute!.call(context);
  return { output: output as INodeExecutionData[][], logs };
}

/** Binary data as n8n items carry it (base64 in `data`), for feeding a node's input. */
export function binaryItem(json: IDataObject, property: string, data: Buffer, mimeType = 'application/octet-stream'): INodeExecutionData {
  return { json, binary: { [property]: { data: data.toString('base64'), mimeType, fileSize: String(data.length) } } };
}
