#!/usr/bin/env node
/**
 * `agentbay-local`: runs the local AgentBay-compatible server until SIGINT/SIGTERM.
 * The key it prints is this server's own key (not a cloud key); printing it is the point.
 */
import { parseArgs } from 'node:util';
import { startLocalServer, type LocalServer } from './server';

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
  --quiet                 Do not log one line per request.
  --help                  Show this help.

Point the official SDK at it with endpoint "<host>:<port>" and HTTP (see local-server/README.md).`;

class UsageError extends Error {}

interface CliOptions {
  host: string;
  port: number;
  apiKey?: string;
  dataDir?: string;
  isolation: 'auto' | 'bubblewrap' | 'process';
  idleTimeoutMs: number;
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
  const idleSeconds = Number(values['idle-timeout'] ?? 1800);
  if (!Number.isFinite(idleSeconds) || idleSeconds < 0) throw new UsageError('--idle-timeout must be a number of seconds >= 0');
  const apiKey = values['api-key'] ?? (env.AGENTBAY_LOCAL_API_KEY || undefined);
  if (apiKey !== undefined && apiKey.trim() === '') throw new UsageError('--api-key must not be empty');
  return {
    host: values.host ?? '127.0.0.1',
    port,
    apiKey,
    dataDir: values['data-dir'],
    isolation,
    idleTimeoutMs: Math.round(idleSeconds * 1000),
    quiet: values.quiet ?? false,
    help: values.help ?? false,
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function printBanner(server: LocalServer, host: string): void {
  const lines = [
    'AgentBay local server is running.',
    `  URL:        ${server.url}`,
    `  Endpoint:   ${server.endpoint}   (SDK endpoint; use HTTP, not HTTPS)`,
    `  API key:    ${server.apiKey}   (this local server's own key)`,
    `  Isolation:  ${server.isolation}`,
  ];
  if (server.isolationNote) lines.push(`  Note:       ${server.isolationNote}`);
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
  let server: LocalServer;
  try {
    server = await startLocalServer({
      host: options.host,
      port: options.port,
      apiKey: options.apiKey,
      dataDir: options.dataDir,
      isolation: options.isolation,
      idleTimeoutMs: options.idleTimeoutMs,
      log: options.quiet ? undefined : (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    process.stderr.write(
      `agentbay-local: port ${options.port} on ${options.host} is already in use (another agentbay-local?).\n` +
        `Stop whatever uses it, or choose another port: --port ${options.port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT} (--port 0 picks a free one).\n`,
    );
    process.exit(EXIT_PORT_BUSY);
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1); // a second signal: give up waiting
    stopping = true;
    process.stdout.write(`${signal} received, destroying sessions...\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`agentbay-local: shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Announced only once the signal handlers are in place, so "ready" always means "stops cleanly".
  printBanner(server, options.host);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`agentbay-local: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
