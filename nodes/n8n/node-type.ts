/**
 * Builds the n8n node class for an operation. n8n's loader instantiates the class exported under
 * the file's base name, so each generated entry file exports `n8nNodeType(operation)`.
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
import { n8nNodeName, N8N_CREDENTIAL_NAME } from '../core/catalogue/naming';
import type { OperationDefinition } from '../core/catalogue/types';
import { testConnection, type ConnectionSettings } from '../core/connection';
import { executeOperation } from './execute';
import { toN8nProperties } from './properties';
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

export function n8nDescription(operation: OperationDefinition): INodeTypeDescription {
  return {
    displayName: `AgentBay ${operation.displayName}`,
    name: n8nNodeName(operation),
    icon: { light: 'file:../../icons/agentbay.svg', dark: 'file:../../icons/agentbay.dark.svg' },
    group: ['transform'],
    version: 1,
    // The Session ID parameter is an expression by default, which a subtitle would show raw.
    subtitle: operation.displayName,
    description: operation.summary,
    defaults: { name: `AgentBay ${operation.displayName}` },
    // The literal, not NodeConnectionTypes.Main: that object exists only from n8n 1.88 on, the value everywhere.
    inputs: ['main'],
    outputs: ['main'],
    ...(operation.usableAsTool === false ? {} : { usableAsTool: true as const }),
    credentials: operation.offline
      ? []
      : [{ name: N8N_CREDENTIAL_NAME, required: true, testedBy: CREDENTIAL_TEST_NAME }],
    properties: toN8nProperties(operation),
  };
}

export function n8nNodeType(operation: OperationDefinition): new () => INodeType {
  assertSupportedN8n();
  const description = n8nDescription(operation);
  return class AgentBayOperationNode implements INodeType {
    description = description;
    methods = { credentialTest: { [CREDENTIAL_TEST_NAME]: agentBayApiTest } };
    async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
      return executeOperation.call(this, operation);
    }
  };
}
