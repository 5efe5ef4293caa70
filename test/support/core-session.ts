/**
 * Shared helpers for the operation tests: run an operation through the runtime-neutral core
 * against a local server, create and always delete sessions, scan /proc for leftovers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { operationById } from '../../nodes/core/catalogue/index';
import { englishOf } from '../../nodes/core/catalogue/runtime-texts';
import type { SessionRef } from '../../nodes/core/catalogue/session';
import type { OperationOutput } from '../../nodes/core/catalogue/types';
import type { AgentBayClient } from '../../nodes/core/client/client';
import { AgentBayError } from '../../nodes/core/client/errors';
import { runOperation } from '../../nodes/core/run-operation';
import type { LocalServer } from '../../local-server/server';
import { clientFor, startTestServer } from './local-server';
import { livePidsWith } from './processes';

export { livePidsWith };

export interface CoreRun {
  output: OperationOutput;
  progress: string[];
}

/** Runs one operation as both adapters do (validation first), recording its progress texts. */
export async function runCore(
  client: AgentBayClient,
  operationId: string,
  rawParameters: Record<string, unknown>,
  session?: SessionRef | string,
): Promise<CoreRun> {
  const progress: string[] = [];
  const { output } = await runOperation(operationById(operationId), {
    rawParameters,
    rawSession: session,
    sessionField: 'Session',
    getClient: () => client,
    progress: (text) => progress.push(englishOf(text)),
  });
  return { output, progress };
}

/** Runs an operation that must fail and returns its error. */
export async function failCore(
  client: AgentBayClient,
  operationId: string,
  rawParameters: Record<string, unknown>,
  session?: SessionRef | string,
): Promise<Error> {
  try {
    await runCore(client, operationId, rawParameters, session);
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`non-Error thrown: ${String(error)}`);
  }
  throw new Error(`${operationId} was expected to fail but succeeded`);
}

/** Keeps track of the sessions a suite creates so `after` can delete every one of them. */
export class SessionTracker {
  private readonly ids = new Set<string>();

  constructor(private readonly client: () => AgentBayClient) {}

  async create(labels: Record<string, string> = { suite: 'operations' }): Promise<SessionRef> {
    const { output } = await runCore(this.client(), 'createSession', { labels });
    const session = output.session as SessionRef;
    this.ids.add(session.sessionId);
    return session;
  }

  track(sessionId: string): void {
    this.ids.add(sessionId);
  }

  forget(sessionId: string): void {
    this.ids.delete(sessionId);
  }

  /** Deletes what is left; a session already gone is fine. */
  async deleteAll(): Promise<void> {
    for (const sessionId of this.ids) {
      try {
        await runCore(this.client(), 'deleteSession', { waitTimeout: 30 }, sessionId);
      } catch (error) {
        if (!(error instanceof AgentBayError && error.isNotFound)) throw error;
      }
      this.ids.delete(sessionId);
    }
  }
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A `sleep` argument nobody else uses, so its processes can be found in /proc by command line. */
export function uniqueSleepSeconds(seconds: number): string {
  const digits = `${process.pid}${randomBytes(4).readUInt32BE(0)}`;
  return `${seconds}.000${digits}`;
}


/** The first 8 bytes of every PNG file. */
export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Python that shows an object with `_repr_png_` (a valid 1x1 PNG built with zlib) as the last expression. */
export const PYTHON_PNG_CODE = [
  'import struct, zlib',
  'def _chunk(kind, data):',
  "    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)",
  'class Dot:',
  '    def _repr_png_(self):',
  "        header = struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)",
  "        pixels = zlib.compress(b'\\x00\\xff\\x00\\x00')",
  "        return b'\\x89PNG\\r\\n\\x1a\\n' + _chunk(b'IHDR', header) + _chunk(b'IDAT', pixels) + _chunk(b'IEND', b'')",
  '    def __repr__(self):',
  "        return 'Dot()'",
  'Dot()',
].join('\n');

export interface CoreSuite {
  /** Runs an operation on the suite's session. */
  run(operationId: string, parameters: Record<string, unknown>): Promise<CoreRun>;
  /** Runs an operation that must fail, returning its error. */
  fail(operationId: string, parameters: Record<string, unknown>): Promise<Error>;
  server(): LocalServer;
  /** The suite's client, for wire-level checks and for calls on another session. */
  client(): AgentBayClient;
  /** The suite's session. */
  session(): SessionRef;
}

/**
 * One local server, client and session for a suite: started before its tests, and after them
 * every session deleted (a suite that leaves one fails) and the server closed.
 */
export function useCoreSession(): CoreSuite {
  let server: LocalServer;
  let client: AgentBayClient;
  let sessions: SessionTracker;
  let session: SessionRef;
  before(async () => {
    server = await startTestServer();
    client = clientFor(server);
    sessions = new SessionTracker(() => client);
    session = await sessions.create();
  });
  after(async () => {
    await sessions?.deleteAll();
    client?.close();
    const left = server?.sessionCount() ?? 0;
    await server?.close();
    if (left !== 0) throw new Error(`${left} session(s) were left running`);
  });
  return {
    run: (operationId, parameters) => runCore(client, operationId, parameters, session),
    fail: (operationId, parameters) => failCore(client, operationId, parameters, session),
    server: () => server,
    client: () => client,
    session: () => session,
  };
}
