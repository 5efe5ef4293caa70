/** Looking for processes a test expects to be gone, by a marker in their command line. */
import { readdirSync, readFileSync } from 'node:fs';

/** Live (non-zombie) processes whose command line contains `marker`. */
export function livePidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`).toString().split('\0').join(' ');
      if (!cmdline.includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && state !== 'X') pids.push(Number(name));
    } catch {
      // the process went away while we looked
    }
  }
  return pids;
}
