/** The built `npm start` and `agentbay-local` entry points run as child processes, as a user runs them. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const START_SCRIPT = path.resolve(__dirname, '../../scripts/start.js');
export const LOCAL_SERVER_CLI = path.resolve(__dirname, '../../local-server/cli.js');
export const TEST_KEY = 'akl-first-hour-0123456789abcdef0123456789ab';

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const userDirs: string[] = [];

/** Kills whatever a test left running and removes the Node-RED directories it made (mocha afterEach). */
export function killLeftovers(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of userDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `npm start` on free ports, with its own Node-RED directory and a fixed key (nothing written into the checkout). */
export function runStart(env: NodeJS.ProcessEnv = {}): Running {
  const userDir = mkdtempSync(path.join(tmpdir(), 'agentbay-first-hour-node-red-'));
  userDirs.push(userDir);
  return run(START_SCRIPT, [], { NODE_RED_PORT: '0', AGENTBAY_LOCAL_PORT: '0', AGENTBAY_LOCAL_API_KEY: TEST_KEY, NODE_RED_USER_DIR: userDir, ...env });
}

/** Resolves once `text` appears on stdout; rejects if the process exits first (the mocha timeout bounds the wait). */
export function waitForOutput(running: Running, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (running.stdout().includes(text)) {
        running.child.stdout?.off('data', check);
        resolve();
      }
    };
    running.child.stdout?.on('data', check);
    check();
    void running.exited.then(({ code }) => reject(new Error(`exited with ${code} before printing "${text}": ${running.stdout()} ${running.stderr()}`)));
  });
}

/** A port held by another listener, as when a second Node-RED already runs. */
export async function holdPort(): Promise<{ port: number; release(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, release: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A stack trace line, which a user-facing error must not show. */
export const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;
