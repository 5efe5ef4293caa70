/**
 * One session's running Chromium: started inside the session's sandbox, driven by the server over its DevTools
 * pipe (navigate, screenshot, close), and reachable by clients through the CDP endpoint (cdp-proxy.ts), which
 * forwards to its DevTools port.
 */
import type { Socket } from 'node:net';
import type { KernelProcess, KernelSpec, RunAs } from '../sandbox/contract';
import { CdpError, CdpPipe, type CdpEvent } from './cdp-pipe';

const READY_TIMEOUT_MS = 60_000;
const CLOSE_GRACE_MS = 5_000;
const STARTUP_PAGE_MS = 15_000;
const MAX_STDERR_KEPT = 16 * 1024;
/** Full-page screenshots are cut at this height (CSS pixels), as the SDK's own screenshot helper does at 10000. */
export const MAX_CAPTURE_HEIGHT = 10_000;

export class BrowserError extends Error {}

export interface PageInfo {
  url: string;
  title: string;
}

export interface ScreenshotRequest {
  pageId?: string;
  fullPage: boolean;
  format: 'png' | 'jpeg';
  quality?: number;
  clip?: { x: number; y: number; width: number; height: number };
  timeoutMs: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BrowserError(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads Chromium's stderr until it announces its DevTools port; fails if it exits or takes too long. */
function waitForDevTools(proc: KernelProcess): Promise<{ port: number; path: string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    let settled = false;
    const finish = (error: Error | null, value?: { port: number; path: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      proc.stderr.off('data', onData);
      proc.stderr.resume(); // keep draining, or a chatty browser would block on a full pipe
      if (error) reject(error);
      else resolve(value!);
    };
    const onData = (chunk: Buffer): void => {
      text = (text + chunk.toString('utf8')).slice(-MAX_STDERR_KEPT);
      const match = /DevTools listening on ws:\/\/127\.0\.0\.1:(\d{1,5})(\/devtools\/browser\/[A-Za-z0-9-]{1,64})/.exec(text);
      if (match) finish(null, { port: Number(match[1]), path: match[2]! });
    };
    const timer = setTimeout(() => finish(new BrowserError(`Chromium did not start within ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
    proc.stderr.on('data', onData);
    void proc.exited.then((exit) => {
      const lastLines = text.split('\n').filter((line) => line.trim() !== '' && !line.includes('dbus')).slice(-3).join(' | ');
      const limit = exit.limitExceeded === undefined ? '' : ` (${exit.limitExceeded})`;
      finish(new BrowserError(`Chromium exited before it was ready (exit code ${exit.exitCode})${limit}${lastLines ? `: ${lastLines}` : ''}`));
    });
  });
}

export class SessionBrowser {
  private readonly sockets = new Set<Socket>();
  private closing: Promise<void> | undefined;
  private exited = false;

  private constructor(
    private readonly proc: KernelProcess,
    private readonly cdp: CdpPipe,
    /** Chromium's DevTools port on loopback; InitBrowser's `Port`. */
    readonly port: number,
    /** `/devtools/browser/<id>`: where the CDP endpoint forwards. */
    readonly devtoolsPath: string,
  ) {
    void proc.exited.then(() => {
      this.exited = true;
      this.cdp.close('the browser has exited');
      for (const socket of this.sockets) socket.destroy();
    });
  }

  /**
   * Starts Chromium through `start` (the session's sandbox), as `runAs` when given, and waits until its DevTools
   * port is announced.
   */
  static async launch(start: (spec: KernelSpec) => Promise<KernelProcess>, argv: string[], runAs?: RunAs): Promise<SessionBrowser> {
    const proc = await start({ argv, shareNetwork: true, controlPipes: true, ...(runAs === undefined ? {} : { runAs }) });
    const control = proc.control;
    if (!control) {
      await proc.kill();
      throw new BrowserError('the sandbox did not give the browser its DevTools pipes');
    }
    const cdp = new CdpPipe(control.input, control.output);
    try {
      const { port, path } = await waitForDevTools(proc);
      const browser = new SessionBrowser(proc, cdp, port, path);
      await browser.settle();
      return browser;
    } catch (err) {
      cdp.close('the browser did not start');
      await proc.kill();
      throw err;
    }
  }

  /**
   * Chromium announces its DevTools port before its first page has a live renderer. InitBrowser answers only once
   * that page evaluates script, so a client connecting right away (Playwright attaches to every page and waits for
   * each) never meets a browser still starting up. Bounded: after STARTUP_PAGE_MS the browser is used as it is.
   */
  private async settle(): Promise<void> {
    const deadline = Date.now() + STARTUP_PAGE_MS;
    while (Date.now() < deadline && this.alive) {
      const { targetInfos } = await this.cdp.send('Target.getTargets', {}, undefined, STARTUP_PAGE_MS).catch(() => ({ targetInfos: [] }));
      const page = (Array.isArray(targetInfos) ? targetInfos : []).find((t) => (t as { type?: unknown }).type === 'page') as { targetId: string } | undefined;
      if (page) {
        await this.withPage(page.targetId, Math.max(deadline - Date.now(), 1), async (sessionId, remaining) => {
          await this.cdp.send('Runtime.evaluate', { expression: '1', returnByValue: true }, sessionId, remaining());
        }).catch(() => undefined);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  get alive(): boolean {
    return !this.exited && this.closing === undefined;
  }

  /** A proxied client connection; it is destroyed when the browser closes. */
  adopt(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  async navigate(url: string, pageId: string | undefined, timeoutMs: number): Promise<PageInfo> {
    return this.withPage(pageId, timeoutMs, async (sessionId, remaining) => {
      await this.cdp.send('Page.enable', {}, sessionId, remaining());
      const loaded = this.nextEvent('Page.loadEventFired', sessionId);
      try {
        const result = await this.cdp.send('Page.navigate', { url }, sessionId, remaining());
        if (typeof result.errorText === 'string' && result.errorText !== '') {
          throw new BrowserError(`Navigation to ${url} failed: ${result.errorText}`);
        }
        // A same-document navigation (#fragment) has no loader and fires no load event.
        if (typeof result.loaderId === 'string') await withTimeout(loaded.promise, remaining(), `Loading ${url}`);
      } finally {
        loaded.cancel();
      }
      return this.pageInfo(sessionId, remaining());
    });
  }

  async screenshot(request: ScreenshotRequest): Promise<{ data: Buffer }> {
    return this.withPage(request.pageId, request.timeoutMs, async (sessionId, remaining) => {
      const params: Record<string, unknown> = { format: request.format };
      if (request.format === 'jpeg' && request.quality !== undefined) params.quality = request.quality;
      let clip = request.clip;
      if (clip === undefined && request.fullPage) {
        const metrics = await this.cdp.send('Page.getLayoutMetrics', {}, sessionId, remaining());
        const content = metrics.cssContentSize as { width?: number; height?: number } | undefined;
        const width = Math.ceil(Number(content?.width ?? 0));
        const height = Math.min(Math.ceil(Number(content?.height ?? 0)), MAX_CAPTURE_HEIGHT);
        if (width > 0 && height > 0) clip = { x: 0, y: 0, width, height };
      }
      if (clip !== undefined) {
        params.clip = { ...clip, scale: 1 };
        params.captureBeyondViewport = true;
      }
      const result = await this.cdp.send('Page.captureScreenshot', params, sessionId, remaining());
      if (typeof result.data !== 'string') throw new BrowserError('the browser returned no image');
      const data = Buffer.from(result.data, 'base64');
      return { data };
    });
  }

  /** Closes the browser (gracefully for a moment, so a persistent profile is flushed), then kills what is left. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const socket of this.sockets) socket.destroy();
      if (!this.exited) {
        await this.cdp.send('Browser.close', {}, undefined, CLOSE_GRACE_MS).catch(() => undefined);
        await withTimeout(this.proc.exited, CLOSE_GRACE_MS, 'Closing the browser').catch(() => undefined);
      }
      this.cdp.close('the browser was closed');
      await this.proc.kill();
    })();
    return this.closing;
  }

  /** Attaches to a page target (the given one, else the first page, else a new blank page) for `work`. */
  private async withPage<T>(pageId: string | undefined, timeoutMs: number, work: (sessionId: string, remaining: () => number) => Promise<T>): Promise<T> {
    if (!this.alive) throw new BrowserError('the browser is not running');
    const deadline = Date.now() + timeoutMs;
    const remaining = (): number => {
      const left = deadline - Date.now();
      if (left <= 0) throw new BrowserError(`the browser did not answer within ${Math.round(timeoutMs / 1000)} s`);
      return left;
    };
    try {
      const targetId = await this.pageTarget(pageId, remaining());
      const attached = await this.cdp.send('Target.attachToTarget', { targetId, flatten: true }, undefined, remaining());
      const sessionId = String(attached.sessionId);
      try {
        return await work(sessionId, remaining);
      } finally {
        void this.cdp.send('Target.detachFromTarget', { sessionId }, undefined, 5_000).catch(() => undefined);
      }
    } catch (err) {
      if (err instanceof CdpError) throw new BrowserError(err.message);
      throw err;
    }
  }

  private async pageTarget(pageId: string | undefined, timeoutMs: number): Promise<string> {
    const { targetInfos } = await this.cdp.send('Target.getTargets', {}, undefined, timeoutMs);
    const pages = (Array.isArray(targetInfos) ? targetInfos : [])
      .filter((t): t is { targetId: string; type: string } => typeof t === 'object' && t !== null && (t as { type?: unknown }).type === 'page');
    if (pageId !== undefined) {
      const page = pages.find((t) => t.targetId === pageId);
      if (!page) throw new BrowserError(`no page with page_id ${JSON.stringify(pageId.slice(0, 64))} in this browser`);
      return page.targetId;
    }
    if (pages[0]) return pages[0].targetId;
    const created = await this.cdp.send('Target.createTarget', { url: 'about:blank' }, undefined, timeoutMs);
    return String(created.targetId);
  }

  private async pageInfo(sessionId: string, timeoutMs: number): Promise<PageInfo> {
    const evaluated = await this.cdp.send('Runtime.evaluate', {
      expression: '({url: location.href, title: document.title})',
      returnByValue: true,
    }, sessionId, timeoutMs);
    const value = (evaluated.result as { value?: { url?: unknown; title?: unknown } } | undefined)?.value;
    return { url: String(value?.url ?? ''), title: String(value?.title ?? '') };
  }

  private nextEvent(method: string, sessionId: string): { promise: Promise<CdpEvent>; cancel(): void } {
    let off = (): void => undefined;
    const promise = new Promise<CdpEvent>((resolve) => {
      off = this.cdp.onEvent((event) => {
        if (event.method === method && event.sessionId === sessionId) {
          off();
          resolve(event);
        }
      });
    });
    return { promise, cancel: () => off() };
  }
}
