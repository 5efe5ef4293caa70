/** Where the AgentBay API lives: a named region, or a custom URL (which may be the local server). */
export const REGIONS = {
  'cn-shanghai': { label: 'China (Shanghai)', host: 'wuyingai.cn-shanghai.aliyuncs.com' },
  'ap-southeast-1': { label: 'Singapore', host: 'wuyingai.ap-southeast-1.aliyuncs.com' },
} as const;

export type RegionId = keyof typeof REGIONS;
export const DEFAULT_REGION: RegionId = 'cn-shanghai';

export interface EndpointSettings {
  /** A region id, or `custom` to use `customEndpoint`. */
  region?: string;
  /** Full base URL including scheme, e.g. `http://127.0.0.1:8720` (used when region is `custom`). */
  customEndpoint?: string;
}

/** Resolves settings to a base URL without a trailing slash; throws a plain Error naming the field. */
export function resolveBaseUrl(settings: EndpointSettings): string {
  const region = settings.region || DEFAULT_REGION;
  if (region === 'custom') {
    return normaliseCustomEndpoint(settings.customEndpoint ?? '');
  }
  if (region in REGIONS) {
    return `https://${REGIONS[region as RegionId].host}`;
  }
  throw new Error(
    `Region must be one of ${Object.keys(REGIONS).join(', ')} or "custom", got "${region}"`,
  );
}

function normaliseCustomEndpoint(raw: string): string {
  const value = raw.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `Custom Endpoint must be a URL including the scheme, e.g. https://${REGIONS[DEFAULT_REGION].host} or http://127.0.0.1:8720, got "${value}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Custom Endpoint must use http:// or https://, got "${url.protocol}"`);
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
