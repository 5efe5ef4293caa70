/**
 * Measuring helpers for `npm run bench`: ratios from interleaved blocks (the machine is shared, so
 * a variant and its baseline alternate and the median of per-block ratios is reported), percentiles,
 * and a description of the machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';

export type Call = () => Promise<unknown>;

async function timeBlock(call: Call, calls: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < calls; index++) await call();
  return Number(process.hrtime.bigint() - started) / 1e6 / calls;
}

/** CPU time (user + system, this process) per call in ms: other jobs on the machine inflate it far less than wall time. */
export async function cpuPerCall(call: Call, calls: number): Promise<number> {
  const started = process.cpuUsage();
  for (let index = 0; index < calls; index++) await call();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / calls;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

export interface Comparison {
  /** Median over blocks of (variant ms per call / baseline ms per call). */
  ratios: Record<string, number>;
  /** Median ms per call of each variant and of the baseline. */
  msPerCall: Record<string, number>;
  /** Blocks in which the variant was faster than the other named variant, per pair asked for. */
  blocks: number;
}

/**
 * Runs `blocks` rounds; each round times `callsPerBlock` calls of the baseline and of every variant,
 * in an order that rotates per round, so drift in the machine's load hits them alike.
 */
export async function compare(baseline: Call, variants: Record<string, Call>, blocks: number, callsPerBlock: number): Promise<Comparison & { perBlock: Record<string, number[]> }> {
  const names = ['baseline', ...Object.keys(variants)];
  const calls: Record<string, Call> = { baseline, ...variants };
  for (const name of names) await timeBlock(calls[name], Math.max(5, Math.round(callsPerBlock / 4)));
  const perBlock: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  const ratioBlocks: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let block = 0; block < blocks; block++) {
    const order = names.map((_, index) => names[(index + block) % names.length]);
    const times: Record<string, number> = {};
    for (const name of order) times[name] = await timeBlock(calls[name], callsPerBlock);
    for (const name of names) {
      perBlock[name].push(times[name]);
      ratioBlocks[name].push(times[name] / times.baseline);
    }
  }
  return {
    ratios: Object.fromEntries(names.map((name) => [name, median(ratioBlocks[name])])),
    msPerCall: Object.fromEntries(names.map((name) => [name, median(perBlock[name])])),
    blocks,
    perBlock: ratioBlocks,
  };
}

/** Runs `total` calls with `concurrency` in flight; returns each call's latency (ms) and the wall time. */
export async function concurrently(call: (index: number) => Promise<unknown>, total: number, concurrency: number): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const index = next++;
      const callStarted = process.hrtime.bigint();
      await call(index);
      latencies.push(Number(process.hrtime.bigint() - callStarted) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

export function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((value) => value.toFixed(1)).join(' / ');
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}, Node.js ${process.version}; load average at start ${load} (1/5/15 min)`;
}

/**
 * CPU time (ms) used so far by this process's live descendants and the children they reaped (Linux
 * /proc; clock ticks taken as 100 per second, Linux's USER_HZ). A reaped child of this process itself
 * is not counted: only a sandbox's processes, which live as long as their session.
 */
export function descendantsCpuMs(): number {
  const parents = new Map<number, number>();
  const times = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      times.set(Number(name), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      // gone meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, own] of times) {
    let ancestor = parents.get(pid) ?? 0;
    for (let depth = 0; depth < 64 && ancestor > 1 && ancestor !== process.pid; depth++) ancestor = parents.get(ancestor) ?? 0;
    if (ancestor === process.pid) ticks += own;
  }
  return ticks * 10;
}
