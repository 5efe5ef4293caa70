/**
 * Parsing run_code answers (nodes/core/catalogue/run-code-results.ts): result items, images, legacy shape.
 */
import { strict as assert } from 'node:assert';
import { parseRunCodeText } from '../../../../nodes/core/catalogue/run-code-results';
import { PNG_MAGIC } from '../../../support/core-session';

describe('run_code answer parsing', () => {
  it('reads result items given as JSON strings or objects, markdown/html/json/svg, and jpeg images', () => {
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString('base64');
    const run = parseRunCodeText(
      JSON.stringify({
        result: [
          JSON.stringify({ 'text/plain': 'first', 'text/html': '<b>x</b>' }),
          { 'text/markdown': '# t', 'application/json': { a: 1 }, 'image/svg+xml': '<svg/>', 'image/jpeg': jpeg, isMainResult: true },
        ],
        stdout: ['a', 'b'],
        stderr: ['warn'],
        executionError: '',
        execution_count: 3,
        execution_time: 0.5,
      }),
      false,
    );
    assert.equal(run.result, 'first', 'no main item has text, so the first item with text wins');
    assert.equal(run.stdout, 'ab');
    assert.equal(run.stderr, 'warn');
    assert.equal(run.results[0].html, '<b>x</b>');
    assert.equal(run.results[1].markdown, '# t');
    assert.deepEqual(run.results[1].json, { a: 1 });
    assert.equal(run.results[1].svg, '<svg/>');
    assert.equal(run.results[1].imageKey, 'image');
    assert.equal(run.images[0].mimeType, 'image/jpeg');
    assert.equal(run.images[0].fileName, 'result-1.jpg');
    assert.equal(run.executionCount, 3);
    assert.equal(run.executionTime, 0.5);
  });

  it('numbers several images image, image_1, …; plain text is a plain result; isError forces success false', () => {
    const png = PNG_MAGIC.toString('base64');
    const run = parseRunCodeText(JSON.stringify({ result: [{ 'image/png': png }, { 'image/png': png }], stdout: [], stderr: [], executionError: '' }), false);
    assert.deepEqual(run.images.map((image) => image.key), ['image', 'image_1']);
    assert.deepEqual(run.results.map((item) => item.imageKey), ['image', 'image_1']);
    assert.deepEqual(parseRunCodeText('just text', false), {
      result: 'just text', results: [], stdout: '', stderr: '', executionError: '', success: true, images: [],
    });
    assert.equal(parseRunCodeText(JSON.stringify({ result: [], executionError: '' }), true).success, false);
  });

  it('an SVG-only result becomes an SVG file too, and keeps its text', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>';
    const run = parseRunCodeText(JSON.stringify({ result: [JSON.stringify({ 'text/plain': '<SVG>', 'image/svg+xml': svg })], executionError: '' }), false);
    assert.equal(run.results[0].svg, svg);
    assert.equal(run.results[0].imageKey, 'image');
    assert.equal(run.images[0].mimeType, 'image/svg+xml');
    assert.equal(run.images[0].fileName, 'result-0.svg');
    assert.equal(run.images[0].data.toString('utf8'), svg);
  });

  it('understands the legacy {logs, results, error} shape', () => {
    const run = parseRunCodeText(
      JSON.stringify({ logs: { stdout: ['x\n'], stderr: [] }, results: [{ text: '5', is_main_result: true }], error: { name: 'E', value: 'v', traceback: 'tb' } }),
      false,
    );
    assert.equal(run.result, '5');
    assert.equal(run.stdout, 'x\n');
    assert.equal(run.executionError, 'E: v\ntb');
    assert.equal(run.success, false);
  });
});
