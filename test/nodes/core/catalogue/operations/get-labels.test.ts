/**
 * Get Labels against scripted answers.
 */
import { strict as assert } from 'node:assert';
import { ok, run } from '../../../../support/scripted-service';

describe('Get Labels (scripted answers)', () => {
    it('empty Labels give {}', async () => {
      const result = await run('getLabels', { GetLabel: [ok({ Labels: '' })] });
      assert.deepEqual(result.json, { labels: {}, requestId: 'REQ-1' });
    });

});
