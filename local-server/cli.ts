#!/usr/bin/env node
/**
 * `agentbay-local`: runs the local AgentBay-compatible server until SIGINT, SIGTERM, SIGHUP or a closed
 * output pipe (local-server/shutdown.ts), removing its temp data dir on every way out.
 * The key it prints is this server's own key (not a cloud key); printing it is the point.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, formatBytes, parseSize, type SessionLimits } from './sandbox/limits';
import { DEFAULT_DELETED_RETENTION_MS, startLocalServer, type BrowserNetwork, type LocalServer } from './server';
import { DEFAULT_BROWSER_UIDS, parseUidRange, type UidRange } from './browser/browser-users';
import { installShutdown } from './shutdown';

export const DEFAULT_PORT = 8720;
/** Exit code when the port is taken (2 is a usage error, 1 anything else). */
export const EXIT_PORT_BUSY = 3;

const USAGE = `Usage: agentbay-local [options]

Runs a local AgentBay-compatible server (POST /?Action=..., form body, JSON envelope).

Options:
  --host <address>        Address to bind (default 127.0.0.1). Non-loopback exposes the sandboxes.
  --port <n>              Port (default ${DEFAULT_PORT}; 0 picks a free port).
  --api-key <key>         Key clients must send as "Bearer <key>". Default: $AGENTBAY_LOCAL_API_KEY,
                          else a generated akl-<32 hex> key (printed at start).
  --data-dir <dir>        Where session directories live (default: a fresh temp dir, removed at exit).
  --isolation <mode>      auto | bubblewrap | process (default auto).
  --idle-timeout <s>      Delete sessions idle this many seconds (default 1800; 0 disables).
  --deleted-retention <s> Keep deleted sessions queryable (status DELETED) this many seconds
                          (default 300; 0 forgets them at once).
  --no-tls                Plain HTTP only. By default the port also answers HTTPS (the official SDK
                          always uses HTTPS) with a self-signed certificate made by openssl.
  --tls-dir <dir>         Where that certificate is kept (default: <data dir>/tls). Reusing one
                          directory keeps the certificate, so clients need to trust it only once.
  --browser-network <m>   What browser sessions' Chromium may reach: loopback (default: hosts on this
                          machine's loopback only) or open (the host's whole network). Command
                          sessions have no network either way.
  --chromium <path>       The Chromium binary (default: $AGENTBAY_LOCAL_CHROMIUM, else Debian's chromium).
  --browser-uids <a-b>    When run as root, each session's Chromium runs as its own uid/gid from this
                          range (default ${DEFAULT_BROWSER_UIDS.first}-${DEFAULT_BROWSER_UIDS.first + DEFAULT_BROWSER_UIDS.count - 1}).
  --memory-limit <size>   Memory per session, e.g. 512M, 2G (default ${formatBytes(DEFAULT_LIMITS.memoryBytes)}; 0 = none).
  --disk-limit <size>     Disk per session, /home/wuying and /tmp together (default ${formatBytes(DEFAULT_LIMITS.diskBytes)}; 0 = none).
  --process-limit <n>     Processes per session at once (default ${DEFAULT_LIMITS.processes}; 0 = none).
  --cpu-limit <s>         CPU seconds per process (default ${DEFAULT_LIMITS.cpuSeconds}; 0 = none).
                          The banner says what enforces each limit here, and which are weaker.
  --quiet                 Do not log one line per request.
  --help                  Show this help.

Point the official SDK at it unchanged: AGENTBAY_ENDPOINT=<host>:<port>, AGENTBAY_API_KEY=<key>
and NODE_EXTRA_CA_CERTS=<the certificate file printed at start> (see local-server/README.md).`;

class UsageError extends Error {}

interface CliOptions {
  host: string;
  port: number;
  apiKey?: string;
  dataDir?: string;
  isolation: 'auto' | 'bubblewrap' | 'process';
  idleTimeoutMs: number;
  deletedRetentionMs: number;
  tls: boolean;
  tlsDir?: string;
  browserNetwork: BrowserNetwork;
  chromiumPath?: string;
  browserUids?: UidRange;
  limits: SessionLimits;
  quiet: boolean;
  help: boolean;
}

function parseCli(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'api-key': { type: 'string' },
      'data-dir': { type: 'string' },
      isolation: { type: 'string' },
      'idle-timeout': { type: 'string' },
      'deleted-retention': { type: 'string' },
      'no-tls': { type: 'boolean' },
      'tls-dir': { type: 'string' },
      'browser-network': { type: 'string' },
      chromium: { type: 'string' },
      'browser-uids': { type: 'string' },
      'memory-limit': { type: 'string' },
      'disk-limit': { type: 'string' },
      'process-limit': { type: 'string' },
      'cpu-limit': { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be an integer from 0 to 65535');
  const isolation = values.isolation ?? 'auto';
  if (isolation !== 'auto' && isolation !== 'bubblewrap' && isolation !== 'process') {
    throw new UsageError('--isolation must be auto, bubblewrap or process');
  }
  const browserNetwork = values['browser-network'] ?? 'loopback';
  if (browserNetwork !== 'loopback' && browserNetwork !== 'open') throw new UsageError('--browser-network must be loopback or open');
  let browserUids: UidRange | undefined;
  if (values['browser-uids'] !== undefined) {
    try {
      browserUids = parseUidRange(values['browser-uids'], '--browser-uids');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const idleSeconds = Number(values['idle-timeout'] ?? 1800);
  if (!Number.isFinite(idleSeconds) || idleSeconds < 0) throw new UsageError('--idle-timeout must be a number of seconds >= 0');
  const retentionSeconds = Number(values['deleted-retention'] ?? DEFAULT_DELETED_RETENTION_MS / 1000);
  if (!Number.isFinite(retentionSeconds) || retentionSeconds < 0 || retentionSeconds > 86_400) {
    throw new UsageError('--deleted-retention must be a number of seconds from 0 to 86400');
  }
  const apiKey = values['api-key'] ?? (env.AGENTBAY_LOCAL_API_KEY || undefined);
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  const limits: SessionLimits = {
    memoryBytes: sizeFlag('--memory-limit', values['memory-limit'], DEFAULT_LIMITS.memoryBytes),
    diskBytes: sizeFlag('--disk-limit', values['disk-limit'], DEFAULT_LIMITS.diskBytes),
    processes: countFlag('--process-limit', values['process-limit'], DEFAULT_LIMITS.processes),
    cpuSeconds: countFlag('--cpu-limit', values['cpu-limit'], DEFAULT_LIMITS.cpuSeconds),
  };
  return {
    host: values.host ?? '127.0.0.1',
    port,
    apiKey,
    dataDir: values['data-dir'],
    isolation,
    idleTimeoutMs: Math.round(idleSeconds * 1000),
    deletedRetentionMs: Math.round(retentionSeconds * 1000),
    tls: !(values['no-tls'] ?? false),
    tlsDir: values['tls-dir'],
    browserNetwork,
    chromiumPath: values.chromium,
    ...(browserUids === undefined ? {} : { browserUids }),
    limits,
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

function sizeFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const bytes = parseSize(value);
  if (bytes === null) throw new UsageError(`${flag} must be a size such as 512M, 2G or a number of bytes (0 = no limit)`);
  return bytes;
}

function countFlag(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value.trim())) throw new UsageError(`${flag} must be a whole number >= 0 (0 = no limit)`);
  return Number(value);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function printBanner(server: LocalServer, host: string, tlsNote: string): void {
  const lines = [
    'AgentBay local server is running.',
    `  URL:        ${server.url}${server.tlsCertFile ? ` (HTTPS on the same port)` : ''}`,
    `  Endpoint:   ${server.endpoint}   (the SDK's AGENTBAY_ENDPOINT)`,
    `  API key:    ${server.apiKey}   (this local server's own key)`,
    `  Isolation:  ${server.isolation}`,
  ];
  if (server.tlsCertFile) lines.push(`  TLS cert:   ${server.tlsCertFile}   (NODE_EXTRA_CA_CERTS for the SDK)`);
  if (tlsNote) lines.push(`  Note:       ${tlsNote}`);
  if (server.isolationNote) lines.push(`  Note:       ${server.isolationNote}`);
  lines.push(`  Limits:     ${server.limitsSummary}   (per session)`);
  if (server.limitsNote) lines.push(`  Note:       ${server.limitsNote}`);
  lines.push(`  Languages:  ${server.codeLanguages}   (run_code)`);
  lines.push(`  Browser:    ${server.chromium ?? 'no Chromium found (InitBrowser will fail)'}; pages reachable: ${server.browserNetwork === 'open' ? 'the host network' : 'loopback hosts only'}`);
  lines.push(`              runs as ${server.browserUsers}`);
  lines.push(`  Data dir:   ${server.dataDir}`, 'Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!isLoopback(host)) {
    process.stderr.write(
      `\n*** WARNING: listening on ${host}, which is not a loopback address. Anyone who can reach this ` +
        'machine and knows the key can run commands in its sandboxes. ***\n\n',
    );
  }
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(argv, process.env);
  } catch (err) {
    process.stderr.write(`agentbay-local: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const start = (tls: boolean): Promise<LocalServer> =>
    startLocalServer({
      host: options.host,
      port: options.port,
      apiKey: options.apiKey,
      dataDir: options.dataDir,
      isolation: options.isolation,
      idleTimeoutMs: options.idleTimeoutMs,
      deletedRetentionMs: options.deletedRetentionMs,
      limits: options.limits,
      tls,
      tlsDir: options.tlsDir,
      browserNetwork: options.browserNetwork,
      chromiumPath: options.chromiumPath,
      ...(options.browserUids === undefined ? {} : { browserUids: options.browserUids }),
      log: options.quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  let server: LocalServer;
  let tlsNote = '';
  try {
    try {
      server = await start(options.tls);
    } catch (err) {
      // No openssl (or an unwritable --tls-dir): still serve HTTP, and say why HTTPS is missing.
      if (!options.tls || !(err instanceof Error) || !/openssl|EACCES|ENOENT/.test(err.message)) throw err;
      tlsNote = `HTTPS is off: ${err.message.split('\n')[0]}`;
      server = await start(false);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(
      `agentbay-local: port ${options.port} on ${options.host} is already in use (another agentbay-local?).\n` +
        `Stop whatever uses it, or choose another port: --port ${options.port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT} (--port 0 picks a free one).\n`,
    );
    process.exit(EXIT_PORT_BUSY);
  }
  // Every way out removes a temp data dir the server made: the graceful stop does (server.close), and the
  // exit hook catches what it could not finish (a second signal, a crash, an exit before it ended).
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = server.dataDir;
  installShutdown({
    stop: async (reason) => {
      process.stdout.write(`${reason} received, destroying sessions...\n`);
      try {
        await server.close();
        return 0;
      } catch (err) {
        process.stderr.write(`agentbay-local: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return 1;
      }
    },
    onExit: () => {
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  });
  // Announced only once the signal handlers are in place, so "ready" always means "stops cleanly".
  printBanner(server, options.host, tlsNote);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`agentbay-local: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
