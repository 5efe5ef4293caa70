/**
 * Run Code against the local server through the runtime-neutral core: notebook-style results
 * and images per language, execution errors as data or as errors, timeouts that leave no process.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';

import { livePidsWith, PNG_MAGIC, PYTHON_PNG_CODE, uniqueSleepSeconds, useCoreSession } from '../../../../support/core-session';
import { waitFor } from '../../../../support/wait';

describe('Run Code (core, local server)', function () {
  this.timeout(120000);
  const { run, fail } = useCoreSession();

    it('Python: the last expression is the main result, printed output is stdout', async () => {
      const { output } = await run('runCode', { language: 'python', code: 'print("hi")\nx = 6\nx * 7' });
      assert.equal(output.json.result, '42');
      assert.equal(output.json.stdout, 'hi\n');
      assert.equal(output.json.stderr, '');
      assert.equal(output.json.success, true);
      assert.equal(output.json.executionError, '');
      assert.equal(output.json.language, 'python');
      assert.deepEqual(output.json.results, [{ mimeTypes: ['text/plain'], isMainResult: true, text: '42' }]);
      assert.equal(typeof output.json.executionCount, 'number');
      assert.equal(typeof output.json.executionTime, 'number');
      assert.equal(output.binary, undefined);
    });

    it('Python without a final expression: result is the printed output', async () => {
      const { output } = await run('runCode', { language: 'py', code: 'print("only printed")' });
      assert.equal(output.json.result, 'only printed\n');
      assert.deepEqual(output.json.results, []);
    });

    it('Python: an object with _repr_png_ gives a PNG binary referenced by imageKey', async () => {
      const { output } = await run('runCode', { language: 'python', code: PYTHON_PNG_CODE });
      assert.equal(output.json.result, 'Dot()');
      const results = output.json.results as Array<Record<string, unknown>>;
      assert.equal(results.length, 1);
      assert.deepEqual(results[0].mimeTypes, ['text/plain', 'image/png']);
      assert.equal(results[0].imageKey, 'image');
      const [image] = output.binary ?? [];
      assert.equal(image.key, 'image');
      assert.equal(image.mimeType, 'image/png');
      assert.equal(image.fileName, 'result-0.png');
      assert.deepEqual(image.data.subarray(0, 8), PNG_MAGIC);
    });

    it('JavaScript (alias " NodeJS "): the completion value is the main result', async () => {
      const { output } = await run('runCode', { language: ' NodeJS ', code: 'console.log("log line");\nconst a = [1, 2, 3];\na.map((n) => n * 2).join("-")' });
      assert.equal(output.json.language, 'javascript');
      assert.equal(output.json.success, true);
      assert.match(String(output.json.result), /2-4-6/);
      assert.equal(output.json.stdout, 'log line\n');
    });

    it('Java: printed output is the result when there is no rich result; a compile error is executionError', async () => {
      const ok = await run('runCode', { language: 'Java', code: 'System.out.println(6 * 7);' });
      assert.equal(ok.output.json.language, 'java');
      assert.equal(ok.output.json.stdout, '42\n');
      assert.equal(ok.output.json.result, '42\n');
      assert.equal(ok.output.json.success, true);
      const broken = await run('runCode', { language: 'java', code: 'int x = ;' });
      assert.equal(broken.output.json.success, false);
      assert.match(String(broken.output.json.executionError), /error/i);
    });

    it('an exception is a result with executionError (not a node error) unless Fail On Error is on', async () => {
      const { output } = await run('runCode', { language: 'python', code: 'def f():\n    raise ValueError("bad value")\nf()' });
      assert.equal(output.json.success, false);
      assert.match(String(output.json.executionError), /^ValueError: bad value/);
      assert.match(String(output.json.executionError), /line 2/);

      const error = await fail('runCode', { language: 'python', code: '1/0', failOnError: true });
      assert.ok(error instanceof AgentBayError);
      assert.match(error.message, /^Code execution failed: ZeroDivisionError/);
    });

    it('refuses an unsupported language with the SDK’s message, before any request', async () => {
      const error = await fail('runCode', { language: 'cobol', code: 'DISPLAY "HI".' });
      assert.ok(error instanceof InputValidationError);
      assert.equal(error.field, 'language');
      assert.equal(
        error.message,
        "Language (language): Unsupported language: cobol. Supported languages are 'python', 'javascript', 'r', and 'java'",
      );
      const timeout = await fail('runCode', { code: '1', timeoutS: 0 });
      assert.ok(timeout instanceof InputValidationError);
      assert.equal(timeout.field, 'timeoutS');
    });

    it('a timeout returns with executionError and leaves no process behind', async () => {
      const marker = uniqueSleepSeconds(30);
      const { output } = await run('runCode', {
        language: 'python',
        code: `import subprocess\nsubprocess.Popen(["sleep", "${marker}"])\nimport time\ntime.sleep(30)`,
        timeoutS: 2,
      });
      assert.equal(output.json.success, false);
      assert.match(String(output.json.executionError), /time(d)? ?out/i);
      // The interrupt reaches the cell's child with the kernel's SIGINT; it dies a moment later.
      await waitFor(() => livePidsWith(marker).length === 0, 5000, 'no child of the code to survive the timeout');
    });
});
