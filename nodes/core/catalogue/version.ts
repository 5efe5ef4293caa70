export const PACKAGE_NAME = 'n8n-nodes-agentbay';
export const PACKAGE_VERSION = '0.1.0';
