/** The names each runtime gives an operation, derived from its id so they never drift apart. */
import type { OperationDefinition } from './types';

const pascal = (id: string): string => id.charAt(0).toUpperCase() + id.slice(1);
const kebab = (id: string): string => id.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** n8n class and folder name: `AgentBayCreateSession`. */
export const n8nClassName = (operation: OperationDefinition): string => `AgentBay${pascal(operation.id)}`;
/** n8n node name (type suffix): `agentBayCreateSession`. */
export const n8nNodeName = (operation: OperationDefinition): string => `agentBay${pascal(operation.id)}`;
/** Node-RED node type and file name: `agentbay-create-session`. */
export const nodeRedType = (operation: OperationDefinition): string => `agentbay-${kebab(operation.id)}`;

/**
 * Node-RED palette and default node label: `agentbay read file`. The prefix keeps every label apart
 * from Node-RED's core nodes (its own `read file` / `write file`). Only the label carries it: saved
 * flows store the node type, which stays `agentbay-read-file`.
 */
export const nodeRedLabel = (operation: OperationDefinition): string => `agentbay ${operation.displayName.toLowerCase()}`;

export const N8N_CREDENTIAL_NAME = 'agentBayApi';
export const NODE_RED_CONFIG_TYPE = 'agentbay-config';
export const PALETTE_CATEGORY = 'AgentBay';
