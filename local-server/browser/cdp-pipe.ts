/**
 * The server's own DevTools connection to a session's Chromium: `--remote-debugging-pipe`, NUL-terminated JSON
 * messages, commands on fd 3 and answers and events on fd 4. No WebSocket code and no port: the server talks to
 * the browser it started through the pipes it holds (local-server/README.md, "Browser sessions").
 */
import type { Readable, Writable } from 'node:stream';

/** Screenshots of full pages are the largest answers (base64); anything beyond this is refused. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;
const MAX_PENDING = 256;

interface Pending {
  resolve(result: Record<string, unknown>): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

export class CdpError extends Error {}

export class CdpPipe {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: CdpEvent) => void>();
  private chunks: Buffer[] = [];
  private buffered = 0;
  private closedReason: string | undefined;

  constructor(private readonly input: Writable, output: Readable) {
    output.on('data', (chunk: Buffer) => this.receive(chunk));
    output.on('close', () => this.close('the browser closed its DevTools pipe'));
    output.on('error', () => this.close('the browser closed its DevTools pipe'));
  }

  /** Sends one command and waits for its answer at most `timeoutMs`. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    if (this.closedReason !== undefined) return Promise.reject(new CdpError(this.closedReason));
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new CdpError('too many DevTools commands in flight'));
    const id = this.nextId++;
    const message = JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CdpError(`${method} got no answer within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.input.write(message + '\0', (err) => {
        if (err) this.settle(id, new CdpError(`could not write to the DevTools pipe: ${err.message}`));
      });
    });
  }

  /** Calls `listener` for every event until the returned function is called. */
  onEvent(listener: (event: CdpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const id of [...this.pending.keys()]) this.settle(id, new CdpError(reason));
    this.listeners.clear();
  }

  private settle(id: number, outcome: Error | Record<string, unknown>): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (outcome instanceof Error) entry.reject(outcome);
    else entry.resolve(outcome);
  }

  private receive(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      this.chunks.push(chunk.subarray(start, end));
      const message = Buffer.concat(this.chunks).toString('utf8');
      this.chunks = [];
      this.buffered = 0;
      this.dispatch(message);
      start = end + 1;
    }
    if (start < chunk.length) {
      this.chunks.push(chunk.subarray(start));
      this.buffered += chunk.length - start;
      if (this.buffered > MAX_MESSAGE_BYTES) {
        this.chunks = [];
        this.buffered = 0;
        this.close('a DevTools message exceeded the size limit');
      }
    }
  }

  private dispatch(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const record = message as Record<string, unknown>;
    if (typeof record.id === 'number') {
      const error = record.error as { message?: unknown } | undefined;
      if (error !== undefined) this.settle(record.id, new CdpError(String(error.message ?? 'DevTools error')));
      else this.settle(record.id, (record.result ?? {}) as Record<string, unknown>);
      return;
    }
    if (typeof record.method === 'string') {
      const event: CdpEvent = {
        method: record.method,
        params: (record.params ?? {}) as Record<string, unknown>,
        ...(typeof record.sessionId === 'string' ? { sessionId: record.sessionId } : {}),
      };
      for (const listener of [...this.listeners]) listener(event);
    }
  }
}
