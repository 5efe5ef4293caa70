/** `npm run demo` is the headless proof the examples work: run it as users do and check its verdict. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('demo (examples in a real headless Node-RED against the local server)', function () {
  this.timeout(240_000);

  it('runs every example flow to the end and leaves no session behind', () => {
    const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'demo.js')], { encoding: 'utf8', timeout: 230_000 });
    assert.equal(result.status, 0, `demo failed:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[session-lifecycle\] created:/);
    assert.match(result.stdout, /\[session-lifecycle\] deleted: \n?\{\n?\s*deleted: true/);
    assert.match(result.stdout, /\[run-script-collect-output\] output file: \n?metric,value\r?\ncount,8\r?\nmean,3\.875\r?\nmax,9/);
    assert.match(result.stdout, /\[run-script-collect-output\] deleted:/);
    assert.match(result.stdout, /Demo OK: \d+ flow\(s\) ran to the end, no session left behind\./);
  });
});
