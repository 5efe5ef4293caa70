/**
 * get_metrics: host figures seen from the session (CPU, memory, the disk holding the session,
 * network counters). CPU and network rates are sampled over a short window within the call.
 */
import { readFile, statfs } from 'node:fs/promises';
import * as os from 'node:os';
import type { ToolContext } from './context';

const SAMPLE_MS = 200;

interface CpuSample { idle: number; total: number }
interface NetSample { rx: number; tx: number }

function cpuSample(): CpuSample {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  return { idle, total };
}

/** Bytes received/sent over all non-loopback interfaces, from /proc/net/dev (0 when unavailable). */
async function netSample(): Promise<NetSample> {
  let text: string;
  try {
    text = await readFile('/proc/net/dev', 'utf8');
  } catch {
    return { rx: 0, tx: 0 };
  }
  let rx = 0;
  let tx = 0;
  for (const line of text.split('\n').slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name === undefined || name.trim() === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    rx += fields[0] ?? 0;
    tx += fields[8] ?? 0;
  }
  return { rx, tx };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export async function getMetricsTool(_args: Record<string, unknown>, ctx: ToolContext): Promise<string> {
  const cpu0 = cpuSample();
  const net0 = await netSample();
  await new Promise((r) => setTimeout(r, SAMPLE_MS));
  const cpu1 = cpuSample();
  const net1 = await netSample();
  const dTotal = cpu1.total - cpu0.total;
  const cpuUsed = dTotal > 0 ? (1 - (cpu1.idle - cpu0.idle) / dTotal) * 100 : 0;
  const fsStat = await statfs(ctx.paths.rootDir);
  const seconds = SAMPLE_MS / 1000;
  return JSON.stringify({
    cpu_count: os.cpus().length,
    cpu_used_pct: round2(Math.max(0, Math.min(100, cpuUsed))),
    disk_total: fsStat.blocks * fsStat.bsize,
    disk_used: (fsStat.blocks - fsStat.bfree) * fsStat.bsize,
    mem_total: os.totalmem(),
    mem_used: os.totalmem() - os.freemem(),
    rx_rate_kbyte_per_s: round2((net1.rx - net0.rx) / 1024 / seconds),
    tx_rate_kbyte_per_s: round2((net1.tx - net0.tx) / 1024 / seconds),
    rx_used_kbyte: round2(net1.rx / 1024),
    tx_used_kbyte: round2(net1.tx / 1024),
    timestamp: new Date().toISOString(),
  });
}
