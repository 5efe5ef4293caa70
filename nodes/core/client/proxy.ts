/**
 * Which HTTP proxy a call goes through. The environment rules are those of n8n's HTTP helpers
 * (`proxy-from-env`) and Node-RED's http request node (its `proxyHelper`, the same code), so one
 * set of variables steers every HTTP node alike:
 * - the proxy for a target is the first set of `npm_config_<scheme>_proxy`, `<scheme>_proxy`,
 *   `npm_config_proxy`, `all_proxy` (each name lower case first, then upper case);
 * - `no_proxy` (or `npm_config_no_proxy`) lists hosts reached directly: `*` (all), `host`
 *   (that host exactly), `.example.com` or `*.example.com` (names ending so), any of them with
 *   `:port` (only that port). Loopback gets no exception: list it when the proxy cannot reach it.
 * One departure: a proxy given without a scheme means `http://` (as curl reads it), not the
 * target's scheme, since this transport speaks plain HTTP to the proxy.
 */

/** A proxy to use: where it is, and what to send and redact for its credentials. */
export interface ProxyEndpoint {
  hostname: string;
  port: number;
  /** `http://host:port`: safe to show, never carries credentials. */
  display: string;
  /** `Basic …` for Proxy-Authorization, when the URL had credentials. */
  authorization?: string;
  /** Texts that must never reach a message (password, encoded forms, the header value). */
  secrets: string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** A proxy setting that cannot be used; the message names where it came from and never its credentials. */
export class ProxySettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxySettingError';
  }
}

const MAX_SETTING_LENGTH = 4096;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

/** The environment value of `name` and which variable held it (lower case wins, as both runtimes). */
function fromEnvironment(env: Environment, name: string): { value: string; variable: string } | undefined {
  for (const variable of [name.toLowerCase(), name.toUpperCase()]) {
    const value = env[variable];
    if (value) return { value, variable };
  }
  return undefined;
}

/**
 * The proxy for `targetUrl`: `configured` (the connection's own Proxy field) when set, regardless
 * of NO_PROXY; otherwise the environment's, or undefined for a direct connection.
 */
export function resolveProxy(targetUrl: string, configured: string | undefined, env: Environment = process.env): ProxyEndpoint | undefined {
  const own = (configured ?? '').trim();
  if (own !== '') return parseProxyUrl(own, 'Proxy');
  const target = new URL(targetUrl);
  const scheme = target.protocol.replace(':', '');
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol] || 0;
  if (!shouldProxy(target.host.replace(/:\d*$/, '').toLowerCase(), port, env)) return undefined;
  const found =
    fromEnvironment(env, `npm_config_${scheme}_proxy`) ??
    fromEnvironment(env, `${scheme}_proxy`) ??
    fromEnvironment(env, 'npm_config_proxy') ??
    fromEnvironment(env, 'all_proxy');
  return found ? parseProxyUrl(found.value.trim(), `The ${found.variable} environment variable`) : undefined;
}

/** NO_PROXY matching, as proxy-from-env (`hostname` keeps IPv6 brackets, as there). */
export function shouldProxy(hostname: string, port: number, env: Environment): boolean {
  const noProxy = (fromEnvironment(env, 'npm_config_no_proxy') ?? fromEnvironment(env, 'no_proxy'))?.value.toLowerCase() ?? '';
  if (noProxy === '') return true;
  if (noProxy === '*') return false;
  return noProxy
    .slice(0, MAX_SETTING_LENGTH)
    .split(/[,\s]/)
    .every((entry) => {
      if (entry === '') return true;
      const colon = entry.lastIndexOf(':');
      const portText = colon > 0 ? entry.slice(colon + 1) : '';
      const hasPort = portText !== '' && /^\d+$/.test(portText);
      let host = hasPort ? entry.slice(0, colon) : entry;
      if (hasPort && Number(portText) !== port) return true;
      if (host.charAt(0) !== '.' && host.charAt(0) !== '*') return hostname !== host;
      if (host.charAt(0) === '*') host = host.slice(1);
      return !hostname.endsWith(host);
    });
}

/** Reads `http://[user:password@]host[:port]` (scheme optional); `source` names the setting in errors. */
export function parseProxyUrl(raw: string, source: string): ProxyEndpoint {
  if (raw.length > MAX_SETTING_LENGTH) throw new ProxySettingError(`${source} is too long for a proxy URL`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ProxySettingError(`${source} must be a proxy URL like http://proxy.example.com:3128, got "${withoutCredentials(raw)}"`);
  }
  const display = `${url.protocol}//${url.host}`;
  if (url.protocol !== 'http:') {
    throw new ProxySettingError(
      `${source} must be an http:// proxy URL like http://proxy.example.com:3128 (TLS to the proxy itself is not supported), got "${display}"`,
    );
  }
  if (url.hostname === '') throw new ProxySettingError(`${source} must name the proxy host, e.g. http://proxy.example.com:3128`);
  const endpoint: ProxyEndpoint = {
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || 80,
    display,
    secrets: [],
  };
  if (url.username !== '' || url.password !== '') {
    const user = safeDecode(url.username);
    const password = safeDecode(url.password);
    endpoint.authorization = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
    endpoint.secrets = [endpoint.authorization.slice('Basic '.length), url.password, password, `${url.username}:${url.password}@`]
      .filter((secret) => secret.length >= 3);
  }
  return endpoint;
}

/** Removes every credential of `proxy` from a text that may reach a user or a log. */
export function redactProxySecrets(text: string, proxy: ProxyEndpoint | undefined): string {
  if (!proxy) return text;
  let result = text;
  for (const secret of proxy.secrets) result = result.split(secret).join('[REDACTED]');
  return result;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `scheme://host…` with any `user:password@` cut, for a setting that did not parse. */
function withoutCredentials(raw: string): string {
  const at = raw.lastIndexOf('@');
  if (at < 0) return raw.slice(0, 200);
  const schemeEnd = raw.indexOf('://');
  return `${schemeEnd >= 0 && schemeEnd < at ? raw.slice(0, schemeEnd + 3) : ''}[REDACTED]@${raw.slice(at + 1, at + 201)}`;
}
