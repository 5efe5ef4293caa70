import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { callToolOrThrow } from '../mcp';
import { asRecord } from '../session-api';
import { sessionCallError } from './session-helpers';

/** The first of the keys that is present, as a number (0 when none is), as the SDK reads them (docs/protocol.md §5.3). */
function metric(raw: Record<string, unknown>, ...keys: string[]): number {
  for (const key of keys) {
    if (raw[key] !== undefined && raw[key] !== null) return Number(raw[key]);
  }
  return 0;
}

/** Normalises a get_metrics object to camelCase, accepting the alternative key spellings. */
export function normaliseMetrics(raw: Record<string, unknown>) {
  return {
    cpuCount: metric(raw, 'cpu_count'),
    cpuUsedPct: metric(raw, 'cpu_used_pct'),
    diskTotal: metric(raw, 'disk_total'),
    diskUsed: metric(raw, 'disk_used'),
    memTotal: metric(raw, 'mem_total'),
    memUsed: metric(raw, 'mem_used'),
    rxRateKbytePerS: metric(raw, 'rx_rate_kbyte_per_s', 'rx_rate_kbps', 'rx_rate_KBps'),
    txRateKbytePerS: metric(raw, 'tx_rate_kbyte_per_s', 'tx_rate_kbps', 'tx_rate_KBps'),
    rxUsedKbyte: metric(raw, 'rx_used_kbyte', 'rx_used_kb', 'rx_used_KB'),
    txUsedKbyte: metric(raw, 'tx_used_kbyte', 'tx_used_kb', 'tx_used_KB'),
    timestamp: raw.timestamp === undefined || raw.timestamp === null ? '' : String(raw.timestamp),
  };
}

/** Parses the tool's text like the SDK: anything but a JSON object is an error. */
export function parseMetricsText(text: string, requestId: string): ReturnType<typeof normaliseMetrics> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('get_metrics returned non-object JSON');
  } catch (error) {
    throw new AgentBayError(`Failed to parse get_metrics response: ${error instanceof Error ? error.message : String(error)}`, {
      code: 'InvalidResponse',
      requestId,
    });
  }
  return normaliseMetrics(asRecord(raw));
}

export const getMetrics = defineOperation({
  id: 'getMetrics',
  displayName: 'Get Metrics',
  summary: 'Returns the session’s resource usage: CPU, memory, disk and network.',
  details: [
    'Runs the `get_metrics` tool in the session, as the SDK’s `session.getMetrics()` does, and returns the figures with camelCase names. Sizes are in bytes, network figures in kilobytes (per second for the rates).',
    'Alternative key spellings some images use (`rx_rate_kbps`, `rx_rate_KBps`, `rx_used_kb`, ...) are read too. An answer that is not a JSON object fails with `Failed to parse get_metrics response: ...`.',
  ].join('\n\n'),
  session: 'required',
  parameters: [],
  outputs: [
    { name: 'cpuCount', type: 'number', description: 'Number of CPUs.' },
    { name: 'cpuUsedPct', type: 'number', description: 'CPU use in percent.' },
    { name: 'diskTotal', type: 'number', description: 'Disk size in bytes.' },
    { name: 'diskUsed', type: 'number', description: 'Disk space used in bytes.' },
    { name: 'memTotal', type: 'number', description: 'Memory size in bytes.' },
    { name: 'memUsed', type: 'number', description: 'Memory used in bytes.' },
    { name: 'rxRateKbytePerS', type: 'number', description: 'Receive rate in KB/s.' },
    { name: 'txRateKbytePerS', type: 'number', description: 'Send rate in KB/s.' },
    { name: 'rxUsedKbyte', type: 'number', description: 'Total received in KB.' },
    { name: 'txUsedKbyte', type: 'number', description: 'Total sent in KB.' },
    { name: 'timestamp', type: 'string', description: 'When the figures were taken.' },
    requestIdOutput,
  ],
  async execute(context) {
    const sessionId = context.session.sessionId;
    let answer;
    try {
      answer = await callToolOrThrow(context.client, sessionId, 'get_metrics', {}, { signal: context.signal });
    } catch (error) {
      throw sessionCallError(error, sessionId, '', 'Failed to get metrics: ');
    }
    return { json: { ...parseMetricsText(answer.text, answer.requestId), requestId: answer.requestId } };
  },
});
