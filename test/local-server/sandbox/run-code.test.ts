import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';

import { errText, harness, json, livePidsWith, MODES, okText, uniqueSleep, type Harness } from '../../support/sandbox';
import { waitFor } from '../../support/wait';

interface CodeOut {
  result: string[];
  stdout: string[];
  stderr: string[];
  executionError: string;
  execution_count: number;
  execution_time: number;
}

type Bundle = Record<string, unknown>;

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

for (const mode of MODES) {
  describe(`run_code tool (${mode})`, function () {
    let h: Harness;
    before(async () => {
      h = await harness(mode);
    });
    after(async () => h.cleanup());

    async function run(language: string, code: string, timeout_s = 30): Promise<CodeOut> {
      return json<CodeOut>(okText(await h.ws.callTool('run_code', { code, language, timeout_s })));
    }
    const bundles = (o: CodeOut): Bundle[] => o.result.map((r) => json<Bundle>(r));

    it('python: the last expression is the main result, print goes to stdout', async () => {
      const out = await run('Python', 'import math\nprint("hi")\nx = 20\nx + math.floor(22.5)');
      assert.deepEqual(bundles(out), [{ 'text/plain': '42', isMainResult: true }]);
      assert.deepEqual(out.stdout, ['hi\n']);
      assert.equal(out.executionError, '');
      assert.equal(typeof out.execution_time, 'number');
      assert.ok(out.execution_count >= 1);
    });

    it('python: no main result when the last statement is not an expression or is None', async () => {
      assert.deepEqual((await run('py', 'x = 1')).result, []);
      assert.deepEqual((await run('python3', 'print("a")')).result, []);
    });

    it('python: _repr_png_/_repr_html_ become MIME keys; display() adds non-main results', async () => {
      const code = [
        'import base64',
        'class Pic:',
        '    def _repr_png_(self):',
        `        return base64.b64decode("${PNG_1PX}")`,
        '    def _repr_html_(self):',
        '        return "<b>pic</b>"',
        '    def __repr__(self):',
        '        return "Pic()"',
        'display({"k": 1})',
        'Pic()',
      ].join('\n');
      const [shown, main] = bundles(await run('python', code));
      assert.deepEqual(shown, { 'text/plain': "{'k': 1}" });
      assert.equal(main!['image/png'], PNG_1PX);
      assert.equal(main!['text/html'], '<b>pic</b>');
      assert.equal(main!['text/plain'], 'Pic()');
      assert.equal(main!.isMainResult, true);
    });

    it('python: an exception fills executionError with name, message and traceback', async () => {
      const out = await run('python', 'def f():\n    return 1/0\nprint("before")\nf()');
      assert.match(out.executionError, /^ZeroDivisionError: division by zero\n/);
      assert.match(out.executionError, /File "<cell-\d+>", line 2, in f/);
      assert.deepEqual(out.stdout, ['before\n']);
      assert.deepEqual(out.result, []);
    });

    it('python: a syntax error is an execution error', async () => {
      assert.match((await run('python', 'def (')).executionError, /^SyntaxError: /);
    });

    it('javascript: the completion value is the main result, objects also as application/json', async () => {
      const out = await run(' JS ', 'console.log("log"); const o = { a: [1, 2], b: "x" }; o');
      assert.deepEqual(bundles(out), [{ 'text/plain': "{ a: [ 1, 2 ], b: 'x' }", 'application/json': { a: [1, 2], b: 'x' }, isMainResult: true }]);
      assert.deepEqual(out.stdout, ['log\n']);
      assert.deepEqual(bundles(await run('nodejs', '6 * 7')), [{ 'text/plain': '42', isMainResult: true }]);
    });

    it('javascript: awaits a returned promise and reports exceptions', async () => {
      assert.deepEqual(bundles(await run('node', 'Promise.resolve(5)')), [{ 'text/plain': '5', isMainResult: true }]);
      const err = await run('javascript', 'null.x');
      assert.match(err.executionError, /^TypeError: Cannot read properties of null/);
      assert.match((await run('javascript', 'require("fs").existsSync(".")')).result[0]!, /true/);
    });

    it('java: runs bare statements as JShell does; a class is declared for later cells', async () => {
      const bare = await run('java', 'import java.util.*;\nList<Integer> l = List.of(1, 2);\nSystem.out.println("sum " + (l.get(0) + l.get(1)));', 60);
      assert.deepEqual(bare.stdout, ['sum 3\n']);
      assert.equal(bare.executionError, '');
      const declared = await run('java', 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }', 60);
      assert.deepEqual(declared.stdout, [], 'declaring a class runs nothing, as in a notebook');
      const called = await run('java', 'Hello.main(new String[0]);', 60);
      assert.deepEqual(called.stdout, ['hello\n']);
      const broken = await run('java', 'int x = ;', 60);
      assert.match(broken.executionError, /^CompilationError: /);
    });

    it('r: the last visible value is the main result, as at the R console', async function () {
      if (!existsSync('/usr/bin/Rscript')) {
        assert.match(errText(await h.ws.callTool('run_code', { code: '1', language: 'R' })), /^R is not installed on this local server/);
        return;
      }
      const out = await run('R', 'cat("Hello, R!\\n")\nx <- 1 + 1\nx');
      assert.deepEqual(out.stdout, ['Hello, R!\n']);
      assert.deepEqual(bundles(out), [{ 'text/plain': '[1] 2', isMainResult: true }]);
      assert.match((await run('r', 'stop("boom")')).executionError, /^Error: boom/);
    });

    it('rejects unsupported languages with the SDK message', async () => {
      assert.equal(
        errText(await h.ws.callTool('run_code', { code: '1', language: 'cobol' })),
        "Unsupported language: cobol. Supported languages are 'python', 'javascript', 'r', and 'java'",
      );
    });

    it('a timeout interrupts the kernel, stops the children of the cell and is reported in executionError', async () => {
      const s = uniqueSleep();
      const out = await run('python', `import subprocess\nsubprocess.Popen(["sleep", "${s}"])\nprint("spawned", flush=True)\nimport time\ntime.sleep(100)`, 1);
      assert.match(out.executionError, /timed out after 1 s/);
      assert.deepEqual(out.stdout, ['spawned\n']);
      // The SIGINT reaches the child with the kernel's; it dies (becomes a zombie) a moment later.
      await waitFor(() => livePidsWith(s).length === 0, 5000, 'the child of the timed-out cell to die');
    });
  });
}
