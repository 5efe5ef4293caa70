/**
 * InitBrowser and GetCdpLink (docs/protocol.md §3.3, §9): a real Chromium per session, and the CDP endpoint that
 * reaches it (local-server/browser/).
 */
import { BROWSER_OPTION_SCHEMA, type BrowserOptionInput } from '../browser/browser-option';
import { invalidSessionStatus } from '../protocol/errors';
import { compileParams, sessionIdField } from '../protocol/validate';
import { defineAction } from './types';

interface InitBrowserParams {
  SessionId: string;
  PersistentPath?: string;
  BrowserOption?: BrowserOptionInput;
}

/** Where the SDK keeps the browser's profile (its BROWSER_DATA_PATH), also the path of a browser context. */
export const DEFAULT_PERSISTENT_PATH = '/tmp/agentbay_browser';

const validateInit = compileParams<InitBrowserParams>({
  SessionId: sessionIdField,
  PersistentPath: { schema: { type: 'string', maxLength: 1024 }, expect: 'a directory of the session such as /tmp/agentbay_browser' },
  BrowserOption: {
    schema: { type: 'string', maxLength: 2_000_000 },
    expect: 'a JSON object of browser options (viewport, screen, userAgent, fingerprint, proxies, cmdArgs, defaultNavigateUrl, ...)',
    json: BROWSER_OPTION_SCHEMA,
  },
});

const validateCdp = compileParams<{ SessionId: string }>({ SessionId: sessionIdField });

export const initBrowser = defineAction('InitBrowser', validateInit, async (ctx, p) => {
  const session = ctx.store.getActive(p.SessionId);
  if (session.status !== 'RUNNING') throw invalidSessionStatus(`Session ${session.id} is ${session.status}; a browser starts only in a RUNNING session.`);
  const browser = await ctx.store.track(session, () => ctx.browsers.init(session, p.PersistentPath ?? DEFAULT_PERSISTENT_PATH, p.BrowserOption ?? {}));
  return { data: { Port: browser.port } };
});

export const getCdpLink = defineAction('GetCdpLink', validateCdp, (ctx, p) => {
  const session = ctx.store.getActive(p.SessionId);
  return { data: { Url: ctx.browsers.cdpUrl(session, ctx.server.url) } };
});
