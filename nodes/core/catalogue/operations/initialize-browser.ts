import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { asRecord, str } from '../session-api';
import { sessionCallError, tryParseJson } from './session-helpers';
import { BROWSER_DETAILS_NOTE } from './browser-agent';

/** The SDK's BROWSER_DATA_PATH: where the browser keeps its profile, also the path a browser context syncs. */
export const BROWSER_DATA_PATH = '/tmp/agentbay_browser';

const OPERATING_SYSTEMS = ['windows', 'macos', 'linux', 'android', 'ios'] as const;

function dimension(name: string, label: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === 0) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 100 || value > 7680) {
    throw new InputValidationError(name, 'an integer from 100 to 7680, or empty', `${label}: expected an integer from 100 to 7680, or empty; got ${String(value)}`);
  }
  return value;
}

export const initializeBrowser = defineOperation({
  id: 'initializeBrowser',
  displayName: 'Initialize Browser',
  summary: 'Starts the session’s browser with a viewport, user agent, fingerprint, proxy and other options.',
  details: [
    'Calls InitBrowser as the SDK’s `session.browser.initializeAsync()` does, with the profile in the session’s agentbay_browser directory under its temporary directory (a browser context given to Create Session keeps it between sessions). Then use **Get Browser Endpoint** to drive the browser with Playwright or Puppeteer, or **Navigate Page** and **Take Screenshot**.',
    BROWSER_DETAILS_NOTE,
    'The fields cover the usual options; **Browser Option (JSON)** takes any other field of the SDK’s BrowserOption (e.g. `{"screen":{"width":1920,"height":1080},"fingerprint":{"devices":["desktop"]}}`) and wins over the fields. A browser already running in the session is an error: close it first with **Close Browser**.',
  ].join('\n\n'),
  session: 'required',
  parameters: [
    {
      name: 'viewportWidth',
      displayName: 'Viewport Width',
      description: 'Width of the page area in CSS pixels; empty for the service default.',
      kind: 'number',
      default: null,
      placeholder: '1280',
      schema: { type: 'number' },
      expected: 'an integer from 100 to 7680, or empty',
    },
    {
      name: 'viewportHeight',
      displayName: 'Viewport Height',
      description: 'Height of the page area in CSS pixels; empty for the service default.',
      kind: 'number',
      default: null,
      placeholder: '720',
      schema: { type: 'number' },
      expected: 'an integer from 100 to 7680, or empty',
    },
    {
      name: 'userAgent',
      displayName: 'User Agent',
      description: 'User-Agent the browser sends; empty for the browser’s own (or the fingerprint’s).',
      kind: 'string',
      default: '',
      schema: { type: 'string', maxLength: 1024 },
      expected: 'a user agent string of at most 1024 characters, or empty',
    },
    {
      name: 'fingerprintOs',
      displayName: 'Fingerprint Operating System',
      description: 'Present the browser as running on this system (user agent and related fingerprint).',
      kind: 'options',
      default: 'none',
      options: [
        { name: 'None', value: 'none' },
        { name: 'Windows', value: 'windows' },
        { name: 'macOS', value: 'macos' },
        { name: 'Linux', value: 'linux' },
        { name: 'Android', value: 'android' },
        { name: 'iOS', value: 'ios' },
      ],
      schema: { type: 'string', enum: ['none', ...OPERATING_SYSTEMS] },
      expected: 'none, windows, macos, linux, android or ios',
    },
    {
      name: 'locale',
      displayName: 'Locale',
      description: 'Browser language, e.g. en-US or zh-CN; empty for the default.',
      kind: 'string',
      default: '',
      schema: { type: 'string', maxLength: 35, pattern: '^([A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3})?$' },
      expected: 'a language tag such as en-US, or empty',
    },
    {
      name: 'proxyServer',
      displayName: 'Proxy Server',
      description: 'A custom proxy for the browser’s traffic, host:port with an optional http:// scheme; empty for none.',
      kind: 'string',
      default: '',
      placeholder: 'http://proxy.example:3128',
      schema: { type: 'string', maxLength: 1024 },
      expected: 'host:port with an optional scheme, or empty',
    },
    {
      name: 'defaultNavigateUrl',
      displayName: 'Start URL',
      description: 'Page the browser opens when it starts; empty for a blank page.',
      kind: 'string',
      default: '',
      placeholder: 'https://example.com',
      schema: { type: 'string', maxLength: 8192 },
      expected: 'a URL, or empty',
    },
    {
      name: 'extraArgs',
      displayName: 'Extra Browser Arguments',
      description: 'Additional Chromium command-line switches, e.g. --disable-gpu.',
      kind: 'stringList',
      default: [],
      advanced: true,
      schema: { type: 'array', maxItems: 64, items: { type: 'string', maxLength: 1024 } },
      expected: 'a list of --switches',
    },
    {
      name: 'browserOption',
      displayName: 'Browser Option (JSON)',
      description: 'Further BrowserOption fields as a JSON object (screen, fingerprint, proxies, cmdArgs, ...); they win over the fields above.',
      kind: 'json',
      default: {},
      advanced: true,
      schema: { type: 'object' },
      expected: 'a JSON object of BrowserOption fields, e.g. {"screen":{"width":1920,"height":1080}}',
    },
  ],
  outputs: [
    { name: 'initialized', type: 'boolean', description: 'Always true (a failure fails the node).' },
    { name: 'port', type: 'number', description: 'The browser’s DevTools port as the service reports it (informational; use Get Browser Endpoint to connect).' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const width = dimension('viewportWidth', 'Viewport Width', input.viewportWidth);
    const height = dimension('viewportHeight', 'Viewport Height', input.viewportHeight);
    if ((width === undefined) !== (height === undefined)) {
      throw new InputValidationError(width === undefined ? 'viewportWidth' : 'viewportHeight', 'both viewport fields, or neither',
        'Viewport Width and Viewport Height: give both, or leave both empty');
    }
    // The SDK's BrowserOptionClass.toMap(): these three are always sent.
    const option: Record<string, unknown> = { useStealth: false, solveCaptchas: false, extensionPath: '/tmp/extensions/' };
    if (width !== undefined && height !== undefined) option.viewport = { width, height };
    const userAgent = str(input.userAgent).trim();
    if (userAgent) option.userAgent = userAgent;
    const locale = str(input.locale).trim();
    if (input.fingerprintOs !== 'none' || locale) {
      option.fingerprint = {
        ...(input.fingerprintOs !== 'none' ? { operatingSystems: [input.fingerprintOs] } : {}),
        ...(locale ? { locales: [locale] } : {}),
      };
    }
    const proxy = str(input.proxyServer).trim();
    if (proxy) option.proxies = [{ type: 'custom', server: proxy }];
    const startUrl = str(input.defaultNavigateUrl).trim();
    if (startUrl) option.defaultNavigateUrl = startUrl;
    const extraArgs = input.extraArgs ?? [];
    if (extraArgs.length > 0) option.cmdArgs = [...extraArgs];
    const browserOption = { ...option, ...(input.browserOption ?? {}) };
    const sessionId = context.session.sessionId;
    let envelope;
    try {
      envelope = await context.client.call(
        'InitBrowser',
        { SessionId: sessionId, PersistentPath: BROWSER_DATA_PATH, BrowserOption: JSON.stringify(browserOption) },
        { signal: context.signal },
      );
    } catch (error) {
      throw sessionCallError(error, sessionId, 'Failed to initialize browser: ');
    }
    const requestId = str(envelope.RequestId);
    const data = asRecord(typeof envelope.Data === 'string' ? tryParseJson(envelope.Data)?.value : envelope.Data);
    const port = Number(data.Port ?? data.port);
    // The SDK's rule: initialized when the answer carries a port.
    if ((data.Port ?? data.port) === undefined || (data.Port ?? data.port) === null || !Number.isFinite(port)) {
      throw new AgentBayError('Failed to initialize browser: the response carries no Port', { code: 'InvalidResponse', requestId });
    }
    return { json: { initialized: true, port, requestId } };
  },
});
