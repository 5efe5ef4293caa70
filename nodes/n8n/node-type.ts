/**
 * The n8n node class of an operation: its description and methods. n8n's loader instantiates the class
 * exported under the file's base name; the generated `nodes/<Class>/<Class>.node.ts` sources write
 * `n8nDescription(operation)` out as a literal (for n8n's linter) and take their methods from here.
 */
import type {
  ICredentialDataDecryptedObject,
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  IExecuteFunctions,
  INodeCredentialTestResult,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';
import { operationById } from '../core/catalogue/index';
import { n8nNodeName, N8N_CREDENTIAL_NAME } from '../core/catalogue/naming';
import type { OperationDefinition } from '../core/catalogue/types';
import { testConnection, type ConnectionSettings } from '../core/connection';
import { executeOperation } from './execute';
import { mcpToolNames, searchImages, searchSessions } from './pickers';
import { hasPickerVersion, LOAD_MCP_TOOL_NAMES, PICKER_VERSION, SEARCH_IMAGES, SEARCH_SESSIONS, toN8nProperties } from './properties';
import { assertSupportedN8n } from './supported-version';

export const CREDENTIAL_TEST_NAME = 'agentBayApiTest';

/** Makes a real authenticated call (ListSession, one result) with the credential being tested. */
export async function agentBayApiTest(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
  try {
    await testConnection(credential.data as unknown as ConnectionSettings, 'n8n');
    return { status: 'OK', message: 'Connection successful' };
  } catch (error) {
    return { status: 'Error', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * n8n appends " Tool" to the display name of a node's tool variant; a name that already ends in "Tool" or
 * "Tools" (Call MCP Tool, List MCP Tools) is shortened for it, so the agent's tool reads "AgentBay Call MCP
 * Tool", not "… Tool Tool".
 */
function toolFlag(operation: OperationDefinition): Pick<INodeTypeDescription, 'usableAsTool'> {
  if (operation.usableAsTool === false) return {};
  const shortened = operation.displayName.replace(/ Tools?$/, '');
  return shortened === operation.displayName
    ? { usableAsTool: true }
    : { usableAsTool: { replacements: { displayName: `AgentBay ${shortened}` } } };
}

export function n8nDescription(operation: OperationDefinition): INodeTypeDescription {
  return {
    displayName: `AgentBay ${operation.displayName}`,
    name: n8nNodeName(operation),
    icon: { light: 'file:../../icons/agentbay.svg', dark: 'file:../../icons/agentbay.dark.svg' },
    group: ['transform'],
    ...(hasPickerVersion(operation) ? { version: [1, PICKER_VERSION], defaultVersion: PICKER_VERSION } : { version: 1 }),
    // The Session ID parameter is an expression by default, which a subtitle would show raw.
    subtitle: operation.displayName,
    description: operation.summary,
    defaults: { name: `AgentBay ${operation.displayName}` },
    // The literal, not NodeConnectionTypes.Main: that object exists only from n8n 1.88 on, the value everywhere.
    inputs: ['main'],
    outputs: ['main'],
    ...toolFlag(operation),
    credentials: operation.offline
      ? []
      : [{ name: N8N_CREDENTIAL_NAME, required: true, testedBy: CREDENTIAL_TEST_NAME }],
    properties: toN8nProperties(operation),
  };
}

/**
 * The operation a generated node class runs, looked up when n8n loads the file; refuses an n8n that is
 * too old there, with a message naming the package.
 */
export function n8nOperation(id: string): OperationDefinition {
  assertSupportedN8n();
  return operationById(id);
}

/** The methods every node class has: the credential test and the pickers' lists. */
export function n8nNodeMethods(_operation: OperationDefinition): NonNullable<INodeType['methods']> {
  return {
    credentialTest: { [CREDENTIAL_TEST_NAME]: agentBayApiTest },
    listSearch: { [SEARCH_SESSIONS]: searchSessions, [SEARCH_IMAGES]: searchImages },
    loadOptions: { [LOAD_MCP_TOOL_NAMES]: mcpToolNames },
  };
}

/** The node class built at run time (tests); n8n loads the generated sources, which match it. */
export function n8nNodeType(operation: OperationDefinition): new () => INodeType {
  assertSupportedN8n();
  const description = n8nDescription(operation);
  const methods = n8nNodeMethods(operation);
  return class AgentBayOperationNode implements INodeType {
    description = description;
    methods = methods;
    async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
      return executeOperation.call(this, operation);
    }
  };
}
