/**
 * The connection settings both runtimes store (n8n credential, Node-RED config node), defined once,
 * and the one place a client is built from them. All clients share one keep-alive transport:
 * it holds no secrets, and a flow that makes many calls then reuses its connections.
 */
import { AgentBayClient, DEFAULT_MAX_RETRY_AFTER_MS, DEFAULT_RETRY } from './client/client';
import { DEFAULT_REGION, REGIONS } from './client/endpoint';
import { AxiosTransport } from './client/transport';
import type { ParameterDefinition } from './catalogue/types';

export interface ConnectionSettings {
  apiKey: string;
  region: string;
  customEndpoint?: string;
  timeoutMs?: number;
  /** Cap on a throttled call's wait (`x-acs-retry-after`), in seconds. */
  maxRetryWait?: number;
  /** HTTP proxy URL for this connection; empty: the proxy environment variables decide. */
  proxy?: string;
}

export const connectionFields: readonly ParameterDefinition[] = [
  {
    name: 'apiKey',
    displayName: 'API Key',
    description: 'Your AgentBay API key (from the AgentBay console), or the key the local server printed.',
    kind: 'string',
    default: '',
    required: true,
    secret: true,
    expected: 'the AgentBay API key',
  },
  {
    name: 'region',
    displayName: 'Region',
    description: 'Where the AgentBay API runs. Custom lets you give a URL, e.g. the local server.',
    kind: 'options',
    default: DEFAULT_REGION,
    options: [
      ...Object.entries(REGIONS).map(([value, region]) => ({ name: region.label, value })),
      { name: 'Custom Endpoint (e.g. Local Server)', value: 'custom' },
    ],
    expected: 'a region or custom',
  },
  {
    name: 'customEndpoint',
    displayName: 'Custom Endpoint',
    description: 'Base URL including the scheme, e.g. http://127.0.0.1:8720 for the local server.',
    kind: 'string',
    default: '',
    placeholder: 'http://127.0.0.1:8720',
    showWhen: { region: ['custom'] },
    expected: 'a URL including http:// or https://',
  },
  {
    name: 'timeoutMs',
    displayName: 'Timeout (Milliseconds)',
    description: 'How long to wait for one API call before giving up.',
    kind: 'number',
    default: 60000,
    expected: 'a whole number of milliseconds',
  },
  {
    name: 'maxRetryWait',
    displayName: 'Max Retry Wait (Seconds)',
    description: 'The longest a node waits before retrying a throttled call, whatever wait the service asks for.',
    kind: 'number',
    default: DEFAULT_MAX_RETRY_AFTER_MS / 1000,
    expected: 'a number of seconds from 0 to 3600',
  },
  {
    name: 'proxy',
    displayName: 'Proxy',
    description:
      'HTTP proxy for this connection, e.g. http://user:password@proxy.example.com:3128. Overrides HTTP_PROXY / HTTPS_PROXY / NO_PROXY. Leave empty to use those environment variables.',
    kind: 'string',
    default: '',
    placeholder: 'http://proxy.example.com:3128',
    // A secret, since the URL may hold the proxy password: a Node-RED credential, an n8n password field.
    secret: true,
    expected: 'an http:// proxy URL, e.g. http://proxy.example.com:3128',
  },
];

/** The configured retry-after cap in ms; empty, negative or unreadable values keep the default. */
function retryAfterCapMs(seconds: unknown): number | undefined {
  if (seconds === undefined || seconds === null || seconds === '') return undefined;
  const value = Number(seconds);
  return Number.isFinite(value) && value >= 0 ? Math.min(value, 3600) * 1000 : undefined;
}

const sharedTransport = new AxiosTransport();

export function clientFromSettings(settings: ConnectionSettings, framework: string): AgentBayClient {
  return new AgentBayClient({
    apiKey: settings.apiKey,
    region: settings.region,
    customEndpoint: settings.customEndpoint,
    timeoutMs: Number(settings.timeoutMs) || undefined,
    transport: sharedTransport,
    retry: { ...DEFAULT_RETRY, maxRetryAfterMs: retryAfterCapMs(settings.maxRetryWait) },
    framework,
    proxy: typeof settings.proxy === 'string' ? settings.proxy : undefined,
  });
}

/** A real authenticated call (ListSession, one result) to prove the settings work. */
export async function testConnection(settings: ConnectionSettings, framework: string): Promise<void> {
  const client = clientFromSettings(settings, framework);
  await client.call('ListSession', { Labels: '{}', MaxResults: 1 }, { timeoutMs: 15000 });
}
