/**
 * The search_files glob matcher (local-server/tools/glob.ts) against a plain recursive reference
 * on small random inputs, and on patterns that are exponential for a backtracking regex.
 */
import { strict as assert } from 'node:assert';
import { compileGlob, globMatches } from '../../../local-server/tools/glob';

/** Reference semantics, exponential but fine on inputs of a few characters. */
function segmentMatches(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  if (pattern[0] === '*') return segmentMatches(pattern.slice(1), text) || (text !== '' && segmentMatches(pattern, text.slice(1)));
  return text !== '' && (pattern[0] === '?' || pattern[0] === text[0]) && segmentMatches(pattern.slice(1), text.slice(1));
}

function reference(pattern: string[], text: string[]): boolean {
  if (pattern.length === 0) return text.length === 0;
  if (pattern[0] === '**') return text.some((_, k) => reference(pattern.slice(1), text.slice(k))) || reference(pattern.slice(1), []);
  return text.length > 0 && segmentMatches(pattern[0]!, text[0]!) && reference(pattern.slice(1), text.slice(1));
}

/** Deterministic, so a failure can be replayed. */
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe('local server: search_files glob matching', () => {
  it('agrees with the reference semantics on 20000 random small cases', () => {
    const random = prng(42);
    const pick = (items: string[]): string => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < 20000; n++) {
      let pattern = '';
      for (let i = 0, len = 1 + Math.floor(random() * 7); i < len; i++) pattern += pick(['a', 'B', '*', '?', '/', '**']);
      let text = '';
      for (let i = 0, len = 1 + Math.floor(random() * 7); i < len; i++) text += pick(['a', 'b', '/']);
      const glob = compileGlob(pattern, 'pattern');
      const expected = reference(pattern.toLowerCase().split('/'), text.split('/'));
      assert.equal(globMatches(glob, text), expected, `${JSON.stringify(pattern)} against ${JSON.stringify(text)}`);
    }
  });

  it('keeps the documented cases', () => {
    const matches = (pattern: string, text: string): boolean => globMatches(compileGlob(pattern, 'pattern'), text);
    assert.equal(matches('*.PY', 'main.py'), true);
    assert.equal(matches('*.py', 'a/main.py'), false, '* stays within a segment');
    assert.equal(matches('**/*.py', 'a/b/main.py'), true);
    assert.equal(matches('**/node_modules/**', 'node_modules/x'), true, '** also matches no segment');
    assert.equal(matches('[ab].txt', '[ab].txt'), true, 'brackets are literal');
    assert.equal(matches('[ab].txt', 'a.txt'), false);
    assert.equal(matches('{a,b}', 'a'), false, 'braces are literal');
    assert.equal(matches('.*', '.env'), true, 'dot files are not special');
  });

  it('answers patterns that are exponential for a backtracking regex', () => {
    // As RegExp these never finish: each * or ** tries every split of the long name.
    const longName = 'a'.repeat(255);
    assert.equal(globMatches(compileGlob(`${'a*'.repeat(500)}x`, 'pattern'), longName), false);
    assert.equal(globMatches(compileGlob(`${'**'.repeat(32)}x`, 'pattern'), longName), false);
    assert.equal(globMatches(compileGlob(`${'**/'.repeat(31)}*a*a*a*a*a*x`, 'pattern'), `${longName}/`.repeat(20)), false);
  });

  it('refuses patterns beyond the limits, naming the argument', () => {
    assert.throws(() => compileGlob('x'.repeat(1025), 'pattern'), /Invalid argument 'pattern'.*longer than 1024/);
    assert.throws(() => compileGlob('a/'.repeat(32) + 'a', 'excludePatterns'), /Invalid argument 'excludePatterns'.*32 '\/'-separated/);
    assert.throws(() => compileGlob('**'.repeat(33), 'pattern'), /more than 32 '\*\*'/);
  });
});
