/**
 * Per-session resource limits: what can be asked for, the defaults, and how sizes are written.
 * Enforcement (cgroups, tmpfs mounts, rlimits) lives in enforcement.ts.
 */

export interface SessionLimits {
  /** Memory of all the session's processes together (cgroup), else address space per process. 0 = none. */
  memoryBytes: number;
  /** Size of the session's filesystem (/home/wuying and /tmp together). 0 = none. */
  diskBytes: number;
  /** Processes (and threads) of the session at the same time. 0 = none. */
  processes: number;
  /** CPU seconds per process (RLIMIT_CPU). 0 = none. */
  cpuSeconds: number;
}

/** Kernel mechanisms the server may use; `false` turns one off (to see the fallback, or where one misbehaves). */
export interface LimitMechanisms {
  /** Per-session memory and pids cgroups (default: when the kernel lets the server create them). */
  cgroups?: boolean;
  /** A size-limited tmpfs mounted as each session's directory (default: when the server may mount). */
  tmpfsMount?: boolean;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<SessionLimits> = Object.freeze({
  memoryBytes: 1 * GiB,
  diskBytes: 1 * GiB,
  processes: 256,
  cpuSeconds: 600,
});

/** Fills in defaults and checks that every given limit is a non-negative integer. */
export function resolveLimits(partial: Partial<SessionLimits> | undefined): SessionLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SessionLimits)[]) {
    const value = limits[key];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new Error(`Invalid session limit '${key}': expected a whole number >= 0 (0 = no limit), got ${String(value)}`);
    }
  }
  return limits;
}

/** 1073741824 → "1 GiB", 67108864 → "64 MiB", 1000 → "1000 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

const SIZE = /^(\d{1,15})\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)$/i;
const UNIT: Record<string, number> = { '': 1, b: 1, k: 1024, m: MiB, g: GiB, t: 1024 * GiB };

/** "512M", "1G", "1GiB", "65536" (bytes) → bytes; units are binary (1K = 1024). Null when malformed. */
export function parseSize(text: string): number | null {
  const match = SIZE.exec(text.trim());
  if (!match) return null;
  const unit = UNIT[match[2]!.toLowerCase().charAt(0)] ?? 1;
  const bytes = Number(match[1]) * unit;
  return Number.isSafeInteger(bytes) ? bytes : null;
}
