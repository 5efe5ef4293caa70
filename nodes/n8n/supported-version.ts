/**
 * The oldest n8n these nodes load in, checked when n8n loads them: n8n does not check a community
 * package's peer ranges, and an older loader fails on the light/dark icon objects with a bare
 * `TypeError: icon.startsWith is not a function` that names neither the package nor the cause.
 */

/** First n8n whose loader takes `icon: { light, dark }` (n8n-core 1.41 does not, 1.49 does). */
export const MIN_N8N_VERSION = '1.49.0';
/** The n8n-workflow that n8n 1.49.0 ships, which is what a node can see of the running n8n. */
export const MIN_N8N_WORKFLOW_VERSION = '1.48.0';

function parts(version: string): [number, number, number] | undefined {
  const match = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})/.exec(version);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** Why this n8n-workflow version is too old, or undefined when it is new enough (or unknown). */
export function unsupportedN8nReason(n8nWorkflowVersion: string | undefined): string | undefined {
  const found = n8nWorkflowVersion === undefined ? undefined : parts(n8nWorkflowVersion);
  const minimum = parts(MIN_N8N_WORKFLOW_VERSION)!;
  if (!found) return undefined;
  for (let index = 0; index < 3; index++) {
    if (found[index] > minimum[index]) return undefined;
    if (found[index] < minimum[index]) {
      return `n8n-nodes-agentbay needs n8n ${MIN_N8N_VERSION} or newer; this n8n ships n8n-workflow ${n8nWorkflowVersion} (n8n ${MIN_N8N_VERSION} ships ${MIN_N8N_WORKFLOW_VERSION}). Update n8n.`;
    }
  }
  return undefined;
}

/** The running n8n's n8n-workflow version, or undefined if its package.json cannot be read. */
export function runningN8nWorkflowVersion(): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { version } = require('n8n-workflow/package.json') as { version?: unknown };
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Throws (so n8n reports the package as failed to load, with this message) on a too-old n8n. */
export function assertSupportedN8n(): void {
  const reason = unsupportedN8nReason(runningN8nWorkflowVersion());
  if (reason) throw new Error(reason);
}
