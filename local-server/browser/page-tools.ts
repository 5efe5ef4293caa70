/**
 * The browser agent's MCP tools (`page_use_*`, and `stopChrome`, which the SDK's `browser.destroy()` calls),
 * answered by the server from the session's browser. Act, observe and extract need the cloud's language
 * model: they answer with a tool error that says so (docs/protocol.md §9.3), as their async forms do.
 */
import type { McpToolDescriptor, McpToolResult } from '../sandbox/contract';
import type { BrowserService } from './browser-service';
import { BrowserError, MAX_CAPTURE_HEIGHT } from './session-browser';

const SERVER = 'browser';
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 300_000;

const LLM_TOOLS = [
  'page_use_act', 'page_use_act_async', 'page_use_get_act_result',
  'page_use_observe', 'page_use_observe_async', 'page_use_get_observe_result',
  'page_use_extract', 'page_use_extract_async', 'page_use_get_extract_result',
];

export const NOT_AVAILABLE_LOCALLY = 'is not available on the local server: it needs the cloud\'s language model. '
  + 'Drive the page through the CDP endpoint (GetCdpLink) instead.';

const pageTarget = {
  context_id: { type: 'integer', description: 'Index of the browser context (ignored locally: there is one).' },
  page_id: { type: 'string', description: 'DevTools target id of the page; default: the first page.' },
};

const DESCRIPTORS: McpToolDescriptor[] = [
  {
    name: 'page_use_navigate',
    description: 'Navigates the browser\'s page to a URL and waits for it to load.',
    inputSchema: { type: 'object', properties: { url: { type: 'string' }, ...pageTarget }, required: ['url'] },
    server: SERVER,
    tool: 'page_use_navigate',
  },
  {
    name: 'page_use_screenshot',
    description: 'Screenshot of the page as a data: URL (PNG, or JPEG with format "jpeg").',
    inputSchema: {
      type: 'object',
      properties: {
        ...pageTarget,
        full_page: { type: 'boolean' },
        format: { enum: ['png', 'jpeg'] },
        quality: { type: 'integer', minimum: 0, maximum: 100 },
        clip: { type: 'object' },
        timeout: { type: 'integer' },
      },
    },
    server: SERVER,
    tool: 'page_use_screenshot',
  },
  {
    name: 'page_use_close_session',
    description: 'Closes the session\'s browser.',
    inputSchema: { type: 'object', properties: {} },
    server: SERVER,
    tool: 'page_use_close_session',
  },
  ...LLM_TOOLS.map((name) => ({
    name,
    description: `Language-model browser task; ${NOT_AVAILABLE_LOCALLY}`,
    inputSchema: { type: 'object', properties: {} },
    server: SERVER,
    tool: name,
  })),
];

export function browserToolDescriptors(): McpToolDescriptor[] {
  return DESCRIPTORS.map((d) => ({ ...d }));
}

const TOOL_NAMES = new Set([...DESCRIPTORS.map((d) => d.name), 'stopChrome']);

export function isBrowserTool(name: string): boolean {
  return TOOL_NAMES.has(name);
}

function text(value: string, isError = false): McpToolResult {
  return { content: [{ type: 'text', text: value }], isError };
}

function own(args: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(args, key) ? args[key] : undefined;
}

function timeoutOf(args: Record<string, unknown>): number {
  const value = own(args, 'timeout');
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.min(value, MAX_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
}

function pageIdOf(args: Record<string, unknown>): string | undefined {
  const value = own(args, 'page_id');
  return typeof value === 'string' && value !== '' && value.length <= 128 ? value : undefined;
}

/** http, https, about: and data: only: file: would read the server's disk when sessions are plain processes. */
function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || url === '' || url.length > 8192) throw new BrowserError('url: expected a URL string of at most 8192 characters');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined || !['http', 'https', 'about', 'data'].includes(scheme)) {
    throw new BrowserError(`url: expected an http(s), about: or data: URL, got ${JSON.stringify(url.slice(0, 100))}`);
  }
  return url;
}

function clipOf(value: unknown): { x: number; y: number; width: number; height: number } | undefined {
  if (value === undefined || value === null) return undefined;
  const clip = value as Record<string, unknown>;
  const numbers = ['x', 'y', 'width', 'height'].map((key) => own(clip, key));
  if (typeof value !== 'object' || !numbers.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) {
    throw new BrowserError('clip: expected {x, y, width, height} as non-negative numbers');
  }
  const [x, y, width, height] = numbers as number[];
  if (width! <= 0 || height! <= 0 || width! > 16_384 || height! > MAX_CAPTURE_HEIGHT) throw new BrowserError(`clip: width up to 16384 and height up to ${MAX_CAPTURE_HEIGHT}, both above 0`);
  return { x: x!, y: y!, width: width!, height: height! };
}

/** Runs a browser tool; undefined when `name` is not one (the sandbox's catalogue answers it). */
export async function callBrowserTool(service: BrowserService, sessionId: string, name: string, rawArgs: unknown): Promise<McpToolResult | undefined> {
  if (!TOOL_NAMES.has(name)) return undefined;
  if (LLM_TOOLS.includes(name)) return text(`${name} ${NOT_AVAILABLE_LOCALLY}`, true);
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as Record<string, unknown>;
  if (name === 'page_use_close_session' || name === 'stopChrome') {
    const closed = await service.closeBrowser(sessionId);
    return closed ? text('Browser closed') : text('The browser is not running', true);
  }
  const browser = service.browserOf(sessionId);
  if (browser === undefined) return text('Browser is not initialized: call InitBrowser first', true);
  try {
    if (name === 'page_use_navigate') {
      const page = await browser.navigate(checkUrl(own(args, 'url')), pageIdOf(args), timeoutOf(args));
      return text(JSON.stringify(page));
    }
    const format = own(args, 'format') === 'jpeg' ? 'jpeg' : 'png';
    const quality = own(args, 'quality');
    const shot = await browser.screenshot({
      pageId: pageIdOf(args),
      fullPage: own(args, 'full_page') === true,
      format,
      ...(typeof quality === 'number' && quality >= 0 && quality <= 100 ? { quality: Math.round(quality) } : {}),
      clip: clipOf(own(args, 'clip')),
      timeoutMs: timeoutOf(args),
    });
    return text(`data:image/${format};base64,${shot.data.toString('base64')}`);
  } catch (err) {
    if (err instanceof BrowserError) {
      // https through the refusing proxy fails as a tunnel error, which names neither the cause nor the remedy.
      const hint = service.network === 'loopback' && /ERR_TUNNEL_CONNECTION_FAILED/.test(err.message)
        ? ' (this local server lets browsers reach loopback hosts only; start it with --browser-network open to reach other hosts)'
        : '';
      return text(`${name} failed: ${err.message}${hint}`, true);
    }
    throw err;
  }
}
