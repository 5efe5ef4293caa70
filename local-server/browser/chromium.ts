/**
 * Which Chromium the local server runs, and the switches every session's browser gets.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The real binary first: Debian's /usr/bin/chromium is a shell wrapper that adds flags of its own. */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The Chromium binary: `explicit` (server option or AGENTBAY_LOCAL_CHROMIUM), else the first installed one, else null. */
export function findChromium(explicit?: string): string | null {
  const chosen = explicit ?? process.env.AGENTBAY_LOCAL_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : null;
  return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

const versions = new Map<string, string>();

/** `156.0.0.0` for a Chromium 156 (the form user agents carry); a fallback when `--version` says nothing. */
export function chromeVersion(binary: string): string {
  let version = versions.get(binary);
  if (version === undefined) {
    const out = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const major = /(\d+)\.\d+\.\d+\.\d+/.exec(out.stdout ?? '')?.[1];
    version = `${major ?? '120'}.0.0.0`;
    versions.set(binary, version);
  }
  return version;
}

/**
 * Switches for every session's browser. `--no-sandbox`: the session's bubblewrap sandbox is the boundary, and
 * Chromium's own namespace sandbox cannot nest inside it. `--remote-debugging-port=0`: a free port on loopback,
 * announced on stderr, which the CDP endpoint proxies to; `--remote-debugging-pipe`: the server's own control.
 */
export function baseSwitches(userDataDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--remote-debugging-pipe',
    '--remote-debugging-address=127.0.0.1',
    '--remote-debugging-port=0',
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--metrics-recording-only',
    '--password-store=basic',
    '--use-mock-keychain',
    '--mute-audio',
    // Scrollbars would take their width off full-page screenshots (and differ from the cloud's screenshots).
    '--hide-scrollbars',
    '--disable-breakpad',
    // Suppresses the "unsupported command-line flag" bar --no-sandbox would put above every first page.
    '--test-type',
  ];
}
