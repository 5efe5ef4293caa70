/**
 * The kernel protocol, over the kernel's stdin/stdout/stderr pipes, with a random token per kernel
 * (given as the kernel's last argument):
 *
 *   request  (stdin)   the cell's source, a newline, then the line `<token> <timeout ms>`
 *   reply    (stdout)  the cell's output, then `<token>` + one JSON line
 *                      `{"results": [<mime bundle>...], "error": "" | "<Name>: <message>\n<trace>"}`
 *            (stderr)  the cell's error output, then `<token>`
 *
 * The kernel announces itself with a reply `{"ready": true, "version": "..."}` before the first
 * request. Everything a cell prints, including its subprocesses' output, lands before the token.
 */

/** The JSON line after the token. */
export interface KernelReply {
  ready?: boolean;
  version?: string;
  results: Record<string, unknown>[];
  error: string;
}

/** A reply line larger than this is a broken kernel (images are base64 in it, hence generous). */
export const MAX_REPLY_BYTES = 64 * 1024 * 1024;

export function encodeRequest(token: string, code: string, timeoutMs: number): string {
  return `${code}\n${token} ${Math.max(0, Math.round(timeoutMs))}\n`;
}

export function parseReply(line: string): KernelReply | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const o = v as { ready?: unknown; version?: unknown; results?: unknown; error?: unknown };
  const results = Array.isArray(o.results)
    ? o.results.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null && !Array.isArray(r))
    : [];
  return {
    ...(o.ready === true ? { ready: true } : {}),
    ...(typeof o.version === 'string' ? { version: o.version.slice(0, 100) } : {}),
    results,
    error: typeof o.error === 'string' ? o.error : '',
  };
}

/**
 * Splits one output stream at the token: what comes before is the cell's output (kept up to a
 * cap), and on stdout the line after it is the reply. Chunks may cut the token anywhere.
 */
export class TokenSplitter {
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private carry = Buffer.alloc(0);
  private replyParts: Buffer[] | null = null;
  private replyBytes = 0;
  truncated = false;

  constructor(
    private readonly token: Buffer,
    private readonly withReply: boolean,
    private readonly maxOutputBytes: number,
    /** Called with the cell's output and (stdout) the reply line, once per token. */
    private readonly onMessage: (output: string, truncated: boolean, replyLine: string) => void,
    private readonly onOverflow: () => void,
  ) {}

  push(chunk: Buffer): void {
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.replyParts !== null) {
        const nl = data.indexOf(0x0a);
        const part = nl < 0 ? data : data.subarray(0, nl);
        this.replyBytes += part.length;
        if (this.replyBytes > MAX_REPLY_BYTES) {
          this.onOverflow();
          return;
        }
        this.replyParts.push(part);
        if (nl < 0) return;
        const line = Buffer.concat(this.replyParts).toString('utf8');
        this.replyParts = null;
        this.deliver(line);
        data = data.subarray(nl + 1);
        continue;
      }
      const at = data.indexOf(this.token);
      if (at < 0) {
        // Keep a possible token prefix at the end for the next chunk.
        const safe = Math.max(0, data.length - (this.token.length - 1));
        this.keep(data.subarray(0, safe));
        this.carry = Buffer.from(data.subarray(safe));
        return;
      }
      this.keep(data.subarray(0, at));
      data = data.subarray(at + this.token.length);
      if (this.withReply) {
        this.replyParts = [];
        this.replyBytes = 0;
      } else {
        this.deliver('');
      }
    }
  }

  private keep(part: Buffer): void {
    const room = this.maxOutputBytes - this.keptBytes;
    if (part.length > room) this.truncated = true;
    const slice = part.length > room ? part.subarray(0, Math.max(0, room)) : part;
    if (slice.length > 0) {
      this.kept.push(Buffer.from(slice));
      this.keptBytes += slice.length;
    }
  }

  private deliver(replyLine: string): void {
    const output = Buffer.concat(this.kept).toString('utf8');
    const truncated = this.truncated;
    this.kept = [];
    this.keptBytes = 0;
    this.truncated = false;
    this.onMessage(output, truncated, replyLine);
  }

  /** Whatever arrived without a token yet (the output of a cell whose kernel died). */
  drain(): string {
    const output = Buffer.concat([...this.kept, this.carry]).toString('utf8');
    this.kept = [];
    this.keptBytes = 0;
    this.carry = Buffer.alloc(0);
    return output;
  }
}
