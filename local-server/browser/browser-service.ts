/**
 * The browsers of all sessions: InitBrowser starts one per session, GetCdpLink names its endpoint, the CDP
 * endpoint's upgrades are routed here, page_use_* tools reach it, and a session's deletion closes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { ApiError, invalidParameter } from '../protocol/errors';
import { SessionPaths, ToolError, type RunAs, type SessionWorkspace } from '../sandbox';
import { DOWNLOADS_DIR, handProfileTo, prepareSessionDirs } from './browser-dirs';
import type { BrowserUsers } from './browser-users';
import { fingerprintFor, refusedSwitch, type BrowserOptionInput, type Fingerprint } from './browser-option';
import { CDP_PATH_PREFIX, pipeToDevTools, refuseUpgrade } from './cdp-proxy';
import { baseSwitches, chromeVersion, findChromium } from './chromium';
import { isLoopbackProxy, networkSwitches, RefusingProxy, type BrowserNetwork } from './network';
import { SessionBrowser } from './session-browser';

/** Images whose sessions have a browser: `browser_latest`, and `linux_latest`, on which the SDK's own browser tests run. */
export const BROWSER_IMAGES: readonly string[] = ['browser_latest', 'linux_latest'];
export const DEFAULT_VIEWPORT = { width: 1920, height: 1080 };

export function isBrowserImage(imageId: string): boolean {
  return BROWSER_IMAGES.includes(imageId);
}

export interface BrowserSession {
  readonly id: string;
  readonly imageId: string;
  readonly workspace: SessionWorkspace;
}

interface Slot {
  token: string;
  browser?: SessionBrowser;
  starting?: Promise<SessionBrowser>;
}

export interface BrowserServiceOptions {
  network: BrowserNetwork;
  /** The Chromium binary; default: found on this machine (chromium.ts). */
  chromium?: string;
  /**
   * Each session's browser runs as its own user from these (browser-users.ts); absent when the server cannot
   * switch users (not root), and the browser then runs as the session's command user.
   */
  users?: BrowserUsers;
  log: (line: string) => void;
}

export class BrowserService {
  private readonly slots = new Map<string, Slot>();
  private readonly byToken = new Map<string, string>();
  private readonly refusing = new RefusingProxy();

  constructor(private readonly options: BrowserServiceOptions) {}

  get network(): BrowserNetwork {
    return this.options.network;
  }

  /** Whether each session's browser runs as its own user (printed by the CLI). */
  get ownUsers(): boolean {
    return this.options.users !== undefined;
  }

  /** Whether Chromium is installed here (printed by the CLI). */
  chromiumBinary(): string | null {
    return findChromium(this.options.chromium);
  }

  assertBrowserImage(session: BrowserSession): void {
    if (!isBrowserImage(session.imageId)) {
      throw new ApiError('InvalidParameter', `Session ${session.id} runs the image ${JSON.stringify(session.imageId)}, which has no browser; `
        + `create the session from one of: ${BROWSER_IMAGES.join(', ')}.`);
    }
  }

  /** The running browser of a session, or undefined. */
  browserOf(sessionId: string): SessionBrowser | undefined {
    const browser = this.slots.get(sessionId)?.browser;
    return browser?.alive ? browser : undefined;
  }

  /** GetCdpLink: one unguessable URL per session, valid until the session is deleted. */
  cdpUrl(session: BrowserSession, serverUrl: string): string {
    this.assertBrowserImage(session);
    return `${serverUrl.replace(/^http/, 'ws')}${CDP_PATH_PREFIX}${this.slot(session.id).token}`;
  }

  /** InitBrowser: starts the session's Chromium with the option; a second one while it runs is refused. */
  async init(session: BrowserSession, persistentPath: string, option: BrowserOptionInput): Promise<SessionBrowser> {
    this.assertBrowserImage(session);
    const slot = this.slot(session.id);
    if (slot.starting !== undefined || slot.browser?.alive) {
      throw new ApiError('InvalidParameter', `The browser of session ${session.id} is already initialized; `
        + 'close it first (page_use_close_session) or use GetCdpLink to reach it.');
    }
    const start = session.workspace.startProcess?.bind(session.workspace);
    if (start === undefined) throw new ApiError('NotImplemented', 'This sandbox cannot run a browser.', 501);
    const binary = findChromium(this.options.chromium);
    if (binary === null) {
      throw new ApiError('ServiceUnavailable', 'No Chromium is installed on the machine running the local server (install the chromium package, or set AGENTBAY_LOCAL_CHROMIUM).', 503);
    }
    const starting = this.launch(session, binary, start, persistentPath, option);
    slot.starting = starting;
    try {
      const browser = await starting;
      if (this.slots.get(session.id) !== slot) {
        await browser.close();
        throw new ApiError('InvalidMcpSession.NotFound', `The session was deleted while its browser started. SessionId: ${session.id}`);
      }
      slot.browser = browser;
      this.options.log(`session ${session.id}: browser started (DevTools port ${browser.port})`);
      return browser;
    } finally {
      slot.starting = undefined;
    }
  }

  /** Closes the session's browser (page_use_close_session); the endpoint URL stays valid for a next InitBrowser. */
  async closeBrowser(sessionId: string): Promise<boolean> {
    const slot = this.slots.get(sessionId);
    const browser = slot?.browser;
    if (!slot || !browser) return false;
    slot.browser = undefined;
    await browser.close();
    return true;
  }

  /** The session is being deleted: close its browser and forget its endpoint. */
  async release(sessionId: string): Promise<void> {
    const slot = this.slots.get(sessionId);
    if (!slot) return;
    this.slots.delete(sessionId);
    this.byToken.delete(slot.token);
    const starting = slot.starting?.catch(() => undefined);
    await Promise.all([slot.browser?.close(), starting?.then((browser) => browser?.close())]);
    this.options.users?.release(sessionId);
  }

  /** The http(s) servers' `upgrade` event: true when the request was a CDP endpoint request (answered here). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = req.url ?? '';
    if (!url.startsWith(CDP_PATH_PREFIX)) return false;
    const token = url.slice(CDP_PATH_PREFIX.length).split(/[/?]/)[0] ?? '';
    const sessionId = this.byToken.get(token);
    const browser = sessionId === undefined ? undefined : this.browserOf(sessionId);
    if (sessionId === undefined) refuseUpgrade(socket, 404, 'Not Found', 'No live session has this CDP endpoint.');
    else if (browser === undefined) refuseUpgrade(socket, 409, 'Conflict', 'The session has no running browser: call InitBrowser first.');
    else pipeToDevTools(req, socket as Socket, head, browser);
    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.slots.keys()].map((id) => this.release(id)));
    await this.refusing.close();
  }

  private slot(sessionId: string): Slot {
    let slot = this.slots.get(sessionId);
    if (!slot) {
      slot = { token: randomBytes(24).toString('hex') };
      this.slots.set(sessionId, slot);
      this.byToken.set(slot.token, sessionId);
    }
    return slot;
  }

  private async launch(
    session: BrowserSession,
    binary: string,
    start: NonNullable<SessionWorkspace['startProcess']>,
    persistentPath: string,
    option: BrowserOptionInput,
  ): Promise<SessionBrowser> {
    const paths = new SessionPaths(session.workspace.rootDir);
    let user: RunAs | undefined;
    try {
      user = this.options.users?.of(session.id);
    } catch (err) {
      throw new ApiError('ServiceUnavailable', `No browser user is free: ${err instanceof Error ? err.message : String(err)}; delete other browser sessions or widen --browser-uids.`, 503);
    }
    const profile = await this.sessionDir(paths, session.workspace, persistentPath, 'PersistentPath', user);
    const fingerprint = await this.fingerprint(paths, option, binary);
    const switches = baseSwitches(profile);
    // Headless Chromium still lays out a toolbar inside --window-size; kiosk mode drops it, so the page's viewport is
    // exactly the requested size. A kiosk window fills the screen, so the screen is the viewport's size too.
    const viewport = option.viewport ?? option.screen ?? DEFAULT_VIEWPORT;
    switches.push('--kiosk', `--window-size=${viewport.width},${viewport.height}`, `--screen-info={0,0 ${viewport.width}x${viewport.height}}`);
    const userAgent = option.userAgent ?? fingerprint.userAgent;
    if (userAgent !== undefined) switches.push(`--user-agent=${userAgent}`);
    if (fingerprint.locale !== undefined) switches.push(`--lang=${fingerprint.locale}`, `--accept-lang=${fingerprint.locale}`);
    switches.push(...await networkSwitches(this.options.network, this.refusing, this.customProxy(session.id, option)));
    for (const arg of option.cmdArgs ?? []) {
      const refused = refusedSwitch(arg);
      if (refused !== null) throw invalidParameter(`Invalid parameter BrowserOption: ${refused}.`);
      switches.push(arg);
    }
    // After `--` nothing is read as a switch, so the URL cannot smuggle one in.
    const url = option.defaultNavigateUrl;
    return SessionBrowser.launch(start, [binary, ...switches, ...(url === undefined ? [] : ['--', url])], user);
  }

  /**
   * The caller's proxy as a Chromium `--proxy-server` value, or undefined. The cloud's managed proxies do not exist
   * here. Under `loopback` a proxy elsewhere is accepted but not used: the browser may reach loopback hosts only,
   * with or without it. Chromium takes no proxy credentials on its command line, so they are not sent.
   */
  private customProxy(sessionId: string, option: BrowserOptionInput): string | undefined {
    const proxy = option.proxies?.[0];
    if (proxy === undefined) return undefined;
    if (proxy.type !== 'custom' || proxy.server === undefined || proxy.server === '') {
      throw invalidParameter(`Invalid parameter BrowserOption: proxies of type ${JSON.stringify(proxy.type)} are the cloud's own; the local server takes a "custom" proxy with a server only.`);
    }
    if (!/^(https?:\/\/|socks5?:\/\/)?[A-Za-z0-9.[\]:-]{1,255}$/.test(proxy.server)) {
      throw invalidParameter('Invalid parameter BrowserOption: a proxy server is host:port with an optional http://, https:// or socks5:// scheme.');
    }
    const notes: string[] = [];
    if (proxy.username !== undefined || proxy.password !== undefined) notes.push('its credentials are not sent (Chromium takes none on its command line)');
    if (this.options.network === 'loopback' && !isLoopbackProxy(proxy.server)) {
      this.options.log(`session ${sessionId}: the browser's proxy is not used: this server lets browsers reach loopback hosts only`);
      return undefined;
    }
    if (notes.length > 0) this.options.log(`session ${sessionId}: the browser's proxy is used, but ${notes.join('; ')}`);
    return proxy.server;
  }

  /**
   * The profile directory of the session (made if missing), in the form the browser process sees it. With a
   * browser `user` it becomes that user's (browser-dirs.ts), so it must lie strictly below /home/wuying or /tmp.
   */
  private async sessionDir(paths: SessionPaths, workspace: SessionWorkspace, virtual: string, field: string, user: RunAs | undefined): Promise<string> {
    let resolved;
    try {
      resolved = await paths.resolve(virtual);
    } catch (err) {
      throw invalidParameter(`Invalid parameter ${field}: ${err instanceof ToolError ? err.message : 'not a path inside the session'}.`);
    }
    const roots = [paths.homeHost, paths.tmpHost, path.join(paths.homeHost, DOWNLOADS_DIR)];
    if (user !== undefined && roots.includes(resolved.host)) {
      throw invalidParameter(`Invalid parameter ${field}: the browser runs as its own user and owns its profile directory alone, `
        + `so the profile must be a directory below /home/wuying or /tmp (such as /tmp/agentbay_browser), not ${resolved.virtual} itself.`);
    }
    await mkdir(resolved.host, { recursive: true });
    if (user !== undefined) {
      if (!(await handProfileTo(resolved.host, user))) throw invalidParameter(`Invalid parameter ${field}: ${resolved.virtual} is not a directory.`);
      await prepareSessionDirs(paths.homeHost, paths.tmpHost, user);
    }
    return workspace.isolation === 'bubblewrap' ? resolved.virtual : resolved.host;
  }

  /** The fingerprint to apply; with `fingerprintPersistPath` the first one chosen is kept in the session (and its contexts). */
  private async fingerprint(paths: SessionPaths, option: BrowserOptionInput, binary: string): Promise<Fingerprint> {
    const fresh = fingerprintFor(option, chromeVersion(binary));
    if (option.fingerprintPersistPath === undefined) return fresh;
    let file;
    try {
      file = await paths.resolve(option.fingerprintPersistPath);
    } catch (err) {
      throw invalidParameter(`Invalid parameter BrowserOption: fingerprintPersistPath: ${err instanceof ToolError ? err.message : 'not a path inside the session'}.`);
    }
    const kept = await readFile(file.host, 'utf8').then((text) => JSON.parse(text) as unknown, () => undefined);
    if (typeof kept === 'object' && kept !== null) {
      const { userAgent, locale } = kept as { userAgent?: unknown; locale?: unknown };
      return {
        ...(typeof userAgent === 'string' && userAgent.length <= 1024 ? { userAgent } : {}),
        ...(typeof locale === 'string' && locale.length <= 35 ? { locale } : {}),
      };
    }
    await mkdir(path.dirname(file.host), { recursive: true });
    await writeFile(file.host, JSON.stringify(fresh));
    return fresh;
  }
}
