/**
 * InitBrowser's `BrowserOption` (docs/protocol.md §3.3, §9): its JSON schema, and what each field becomes for a
 * local Chromium. The SDK's browser sources are the specification of the fields; what the local server cannot do
 * (stealth, captcha solving, the cloud's managed proxies) is refused or ignored as documented there.
 */
import type { SchemaObject } from 'ajv';

export interface BrowserOptionInput {
  useStealth?: boolean;
  userAgent?: string;
  viewport?: { width: number; height: number };
  screen?: { width: number; height: number };
  fingerprint?: { devices?: string[]; operatingSystems?: string[]; locales?: string[] };
  fingerprintRawData?: string;
  fingerprintPersistPath?: string;
  solveCaptchas?: boolean;
  proxies?: { type: string; server?: string; username?: string; password?: string }[];
  extensionPath?: string;
  cmdArgs?: string[];
  defaultNavigateUrl?: string;
  browserType?: 'chrome' | 'chromium';
  enableRecord?: boolean;
  behaviorSimulate?: boolean;
}

const size = (max: number): SchemaObject => ({
  type: 'object',
  properties: { width: { type: 'integer', minimum: 100, maximum: max }, height: { type: 'integer', minimum: 100, maximum: max } },
  required: ['width', 'height'],
});

const stringList = (maxItems: number, maxLength: number): SchemaObject => ({
  type: 'array',
  maxItems,
  items: { type: 'string', maxLength },
});

/** Unknown keys are accepted (newer SDKs add options); the known ones must have the SDK's types. */
export const BROWSER_OPTION_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    useStealth: { type: 'boolean' },
    userAgent: { type: 'string', maxLength: 1024 },
    viewport: size(7680),
    screen: size(7680),
    fingerprint: {
      type: 'object',
      properties: {
        devices: stringList(4, 16),
        operatingSystems: stringList(8, 16),
        locales: stringList(16, 35),
      },
    },
    fingerprintRawData: { type: 'string', maxLength: 1_000_000 },
    fingerprintPersistPath: { type: 'string', maxLength: 1024 },
    solveCaptchas: { type: 'boolean' },
    proxies: {
      type: 'array',
      maxItems: 1,
      items: {
        type: 'object',
        properties: {
          type: { enum: ['custom', 'wuying', 'managed'] },
          server: { type: 'string', maxLength: 1024 },
          username: { type: 'string', maxLength: 256 },
          password: { type: 'string', maxLength: 256 },
        },
        required: ['type'],
      },
    },
    extensionPath: { type: 'string', maxLength: 1024 },
    cmdArgs: stringList(64, 1024),
    defaultNavigateUrl: { type: 'string', maxLength: 8192 },
    browserType: { enum: ['chrome', 'chromium'] },
    enableRecord: { type: 'boolean' },
    behaviorSimulate: { type: 'boolean' },
  },
};

/**
 * Switches a caller may not set through `cmdArgs`: they would undo the network policy, the profile the
 * session owns, or the server's own control of the browser (its DevTools pipe and port).
 */
const RESERVED_SWITCHES = [
  '--remote-debugging', '--user-data-dir', '--proxy', '--no-proxy-server', '--host-resolver-rules',
  '--host-rules', '--force-webrtc-ip-handling-policy', '--remote-allow-origins', '--headless', '--enable-automation',
];

/** The error text for a refused cmdArgs entry, or null when it may be passed to Chromium. */
export function refusedSwitch(arg: string): string | null {
  if (!arg.startsWith('--')) return `cmdArgs entry ${JSON.stringify(arg.slice(0, 80))} is not a --switch`;
  const name = arg.split('=')[0]!.toLowerCase();
  const reserved = RESERVED_SWITCHES.find((prefix) => name.startsWith(prefix));
  return reserved === undefined ? null : `cmdArgs may not set ${name}: the local server owns it (network policy, profile, DevTools)`;
}

const CHROME_VERSION_TOKEN = '__CHROME_VERSION__';

/** User agents for the fingerprint's first operating system (the cloud picks one at random; the choice here is fixed). */
const USER_AGENTS: Record<string, string> = {
  windows: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION_TOKEN} Safari/537.36`,
  macos: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION_TOKEN} Safari/537.36`,
  linux: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION_TOKEN} Safari/537.36`,
  android: `Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${CHROME_VERSION_TOKEN} Mobile Safari/537.36`,
  ios: `Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/${CHROME_VERSION_TOKEN} Mobile/15E148 Safari/604.1`,
};

export interface Fingerprint {
  userAgent?: string;
  locale?: string;
}

/** The user agent and locale a fingerprint request stands for; `chromeVersion` is e.g. `156.0.0.0`. */
export function fingerprintFor(option: BrowserOptionInput, chromeVersion: string): Fingerprint {
  const result: Fingerprint = {};
  const raw = option.fingerprintRawData === undefined ? undefined : userAgentFromRawData(option.fingerprintRawData);
  const os = option.fingerprint?.operatingSystems?.find((name) => USER_AGENTS[name] !== undefined);
  if (raw !== undefined) result.userAgent = raw;
  else if (os !== undefined) result.userAgent = USER_AGENTS[os]!.replace(CHROME_VERSION_TOKEN, chromeVersion);
  const locale = option.fingerprint?.locales?.[0];
  if (locale !== undefined && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,3}$/.test(locale)) result.locale = locale;
  return result;
}

/** `fingerprintRawData` is base64 of the SDK's FingerprintFormat JSON; only its navigator's user agent is used. */
function userAgentFromRawData(base64: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    const fingerprint = pick(parsed, 'fingerprint') ?? parsed;
    const agent = pick(pick(fingerprint, 'navigator'), 'userAgent');
    return typeof agent === 'string' && agent.length > 0 && agent.length <= 1024 ? agent : undefined;
  } catch {
    return undefined;
  }
}

function pick(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
  return (value as Record<string, unknown>)[key];
}
