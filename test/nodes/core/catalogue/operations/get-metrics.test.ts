/**
 * Get Metrics against scripted answers: alternative key spellings, missing keys, unreadable answers.
 */
import { strict as assert } from 'node:assert';
import { failure, run, toolText } from '../../../../support/scripted-service';

describe('Get Metrics (scripted answers)', () => {
  describe('Get Metrics', () => {
    it('reads the alternative key spellings (rx_rate_KBps, rx_used_KB, ...)', async () => {
      const text = JSON.stringify({
        cpu_count: 4, cpu_used_pct: 1.5, disk_total: 100, disk_used: 40, mem_total: 2048, mem_used: 1024,
        rx_rate_KBps: 0.22, tx_rate_kbps: 0.38, rx_used_KB: 1247.27, tx_used_kb: 120.13, timestamp: '2025-12-24T10:54:23+08:00',
      });
      const result = await run('getMetrics', { CallMcpTool: [toolText(text)] });
      assert.deepEqual(result.json, {
        cpuCount: 4, cpuUsedPct: 1.5, diskTotal: 100, diskUsed: 40, memTotal: 2048, memUsed: 1024,
        rxRateKbytePerS: 0.22, txRateKbytePerS: 0.38, rxUsedKbyte: 1247.27, txUsedKbyte: 120.13,
        timestamp: '2025-12-24T10:54:23+08:00', requestId: 'REQ-1',
      });
      const sent = result.transport.sent[0].params;
      assert.equal(sent.get('Name'), 'get_metrics');
      assert.equal(sent.get('Args'), '{}');
      assert.equal(sent.get('AutoGenSession'), 'false');
    });

    it('missing keys read 0 and "" like the SDK', async () => {
      const result = await run('getMetrics', { CallMcpTool: [toolText('{"cpu_count":2}')] });
      assert.equal(result.json.cpuCount, 2);
      assert.equal(result.json.memTotal, 0);
      assert.equal(result.json.timestamp, '');
    });

    it('a JSON array fails with "Failed to parse get_metrics response: get_metrics returned non-object JSON"', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('[1,2]')] });
      assert.equal(error.message, 'Failed to parse get_metrics response: get_metrics returned non-object JSON');
    });

    it('text that is not JSON fails with "Failed to parse get_metrics response: ..."', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('cpu: lots')] });
      assert.match(error.message, /^Failed to parse get_metrics response: .+/);
    });

    it('a tool error surfaces the tool\'s text', async () => {
      const error = await failure('getMetrics', { CallMcpTool: [toolText('metrics unavailable', true)] });
      assert.equal(error.message, 'metrics unavailable');
    });
  });
});
