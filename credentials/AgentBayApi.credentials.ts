/**
 * The one n8n credential all AgentBay nodes share. Its fields come from the same definition as
 * the Node-RED config node. It is tested by the nodes' `agentBayApiTest` method, which makes a
 * real authenticated ListSession call: the key travels as a form parameter, which n8n's
 * declarative test request cannot express.
 */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { N8N_CREDENTIAL_NAME } from '../nodes/core/catalogue/naming';
import { connectionFields } from '../nodes/core/connection';
import { toN8nProperty } from '../nodes/n8n/properties';
import { assertSupportedN8n } from '../nodes/n8n/supported-version';

assertSupportedN8n();

export class AgentBayApi implements ICredentialType {
  name = N8N_CREDENTIAL_NAME;
  displayName = 'AgentBay API';
  icon = { light: 'file:../icons/agentbay.svg', dark: 'file:../icons/agentbay.dark.svg' } as const;
  documentationUrl = 'https://github.com/agentbay-nodes/n8n-nodes-agentbay#credentials';
  properties: INodeProperties[] = connectionFields.map((field) => toN8nProperty(field, false));
}
