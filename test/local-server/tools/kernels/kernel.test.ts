/**
 * run_code's long-lived kernels, against the real sandbox in both isolation modes: state kept
 * between calls per language, honest execution counts, timeouts that interrupt (or restart, and
 * say so), kernels that freeze with pause and die with the session.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

import { harness, json, livePidsWith, MODES, okText, uniqueSleep, type Harness } from '../../../support/sandbox';
import { sleep, waitFor } from '../../../support/wait';

interface CodeOut {
  result: string[];
  stdout: string[];
  stderr: string[];
  executionError: string;
  execution_count: number;
}

type Bundle = Record<string, unknown>;

const HAS_R = existsSync('/usr/bin/Rscript');

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function parentPid(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

for (const mode of MODES) {
  describe(`run_code kernels (${mode})`, function () {
    this.timeout(120000);
    let h: Harness;
    beforeEach(async () => {
      h = await harness(mode);
    });
    afterEach(async () => h.cleanup());

    async function run(language: string, code: string, timeout_s = 60): Promise<CodeOut> {
      return json<CodeOut>(okText(await h.ws.callTool('run_code', { code, language, timeout_s })));
    }
    const main = (o: CodeOut): Bundle | undefined => o.result.map((r) => json<Bundle>(r)).find((b) => b.isMainResult === true);

    it('python: variables, imports and functions persist; execution_count counts the cells', async () => {
      const first = await run('python', 'import math\nx = 41\ndef twice(n):\n    return 2 * n');
      assert.equal(first.executionError, '');
      assert.equal(first.execution_count, 1);
      const second = await run('py', 'twice(x + 1) + math.floor(0.5)');
      assert.deepEqual(main(second), { 'text/plain': '84', isMainResult: true });
      assert.equal(second.execution_count, 2);
    });

    it('javascript: `const fs = require(\'fs\')` in two consecutive cells, and top-level declarations persist', async () => {
      const first = await run('javascript', "const fs = require('fs');\nconst path = require('path');\nlet n = 20;\nclass Box { constructor(v) { this.v = v; } }\nfs.existsSync('/')");
      assert.equal(first.executionError, '');
      assert.deepEqual(main(first), { 'text/plain': 'true', isMainResult: true });
      const second = await run('js', "const fs = require('fs');\nconst path = require('path');\nn += 1;\nawait Promise.resolve(new Box(n * 2).v)");
      assert.equal(second.executionError, '');
      assert.deepEqual(main(second), { 'text/plain': '42', isMainResult: true });
      assert.equal(second.execution_count, 2);
    });

    it('java: declarations persist between cells (one JShell per session)', async () => {
      const setup = await run('JAVA', 'import java.util.*;\nint x = 41;\nList<Integer> seen = new ArrayList<>();\nSystem.out.println("SETUP");');
      assert.equal(setup.executionError, '');
      assert.deepEqual(setup.stdout, ['SETUP\n']);
      const use = await run('java', 'seen.add(x + 1);\nSystem.out.println("V:" + seen.get(0));\nseen.size()');
      assert.deepEqual(use.stdout, ['V:42\n']);
      assert.deepEqual(main(use), { 'text/plain': '1', isMainResult: true });
      assert.equal(use.execution_count, 2);
    });

    it('r: variables and functions persist between cells', async function () {
      if (!HAS_R) this.skip();
      await run('R', 'x <- 41\nf <- function(v) v + 1');
      const use = await run('r', 'cat(paste0("V:", f(x), "\\n"))\nf(x) * 2');
      assert.deepEqual(use.stdout, ['V:42\n']);
      assert.deepEqual(main(use), { 'text/plain': '[1] 84', isMainResult: true });
    });

    it('languages do not share state, and each kernel counts its own cells', async () => {
      await run('python', 'shared = 1');
      const js = await run('javascript', 'typeof shared');
      assert.deepEqual(main(js), { 'text/plain': "'undefined'", isMainResult: true });
      assert.equal(js.execution_count, 1);
    });

    it('a timeout interrupts the cell; the kernel keeps its state (python, javascript)', async () => {
      await run('python', 'kept = "yes"');
      const py = await run('python', 'print("looping", flush=True)\nwhile True:\n    pass', 1);
      assert.match(py.executionError, /^TimeoutError: execution timed out after 1 s; the kernel was interrupted and keeps its state/);
      assert.deepEqual(py.stdout, ['looping\n']);
      assert.deepEqual(main(await run('python', 'kept')), { 'text/plain': "'yes'", isMainResult: true });

      await run('javascript', 'const kept = "yes"');
      const busy = await run('javascript', 'while (true) {}', 1);
      assert.match(busy.executionError, /^TimeoutError: .*keeps its state/);
      const waiting = await run('javascript', 'await new Promise(() => {})', 1);
      assert.match(waiting.executionError, /^TimeoutError: .*keeps its state/);
      assert.deepEqual(main(await run('javascript', 'kept')), { 'text/plain': "'yes'", isMainResult: true });
    });

    it('a cell that ignores the interrupt gets its kernel restarted, and the result says so', async () => {
      await run('python', 'lost = 1');
      const out = await run('python', 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass', 1);
      assert.match(out.executionError, /did not stop on interrupt and was restarted \(its variables and imports are gone\)/);
      const after = await run('python', 'lost');
      assert.match(after.executionError, /^NameError: name 'lost' is not defined/);
      assert.equal(after.execution_count, 1, 'a new kernel counts from 1');
    });

    it('a kernel that exits is reported, and the next call gets a new one', async () => {
      const out = await run('python', 'import os\nos._exit(3)');
      assert.match(out.executionError, /^KernelDied: the python kernel exited \(code 3\)/);
      assert.deepEqual(main(await run('python', '6 * 7')), { 'text/plain': '42', isMainResult: true });
    });

    it('the kernel survives pause and resume', async () => {
      await run('python', 'before_pause = 7');
      await h.ws.pause();
      await h.ws.resume();
      assert.deepEqual(main(await run('python', 'before_pause * 6')), { 'text/plain': '42', isMainResult: true });
    });

    it('a paused session stops the clock of a running cell: it finishes after resume, not timed out', async () => {
      await run('python', 'import os, time');
      const marker = `${h.ws.rootDir}/home/wuying/started`;
      const running = run('python', 'open("started", "w").close()\ntime.sleep(1.5)\n"done"', 2);
      await waitFor(() => existsSync(marker), 20000, 'the cell to start');
      await h.ws.pause();
      await sleep(2500); // longer than the cell's timeout
      await h.ws.resume();
      const out = await running;
      assert.equal(out.executionError, '');
      assert.deepEqual(main(out), { 'text/plain': "'done'", isMainResult: true });
    });

    it('the kernel and what it started die with the session', async () => {
      const s = uniqueSleep();
      await run('python', `import subprocess\nchild = subprocess.Popen(["sleep", "${s}"], start_new_session=True)`);
      await waitFor(() => livePidsWith(s).length > 0, 5000, 'the child to run');
      const [sleeper] = livePidsWith(s);
      assert.ok(sleeper !== undefined, 'the child runs');
      const kernel = parentPid(sleeper);
      assert.ok(alive(kernel), 'the kernel runs between calls');
      await h.ws.destroy();
      assert.deepEqual(livePidsWith(s), []);
      assert.equal(alive(kernel), false, 'the kernel is gone with the session');
    });
  });
}
