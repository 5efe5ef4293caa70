/**
 * The form parser decodes as URLSearchParams does (the reference for `application/x-www-form-urlencoded`),
 * including where decodeURIComponent alone would throw or differ: stray `%`, bytes that are not UTF-8,
 * `+` as a space, empty pairs, keys without `=`, duplicates.
 */
import { strict as assert } from 'node:assert';
import { MAX_PARAMS, parseForm } from '../../../local-server/protocol/params';

function reference(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

const CASES = [
  '',
  '&',
  '&&a=1&&',
  'a',
  'a=',
  '=x',
  'a=1&a=2',
  'a==b',
  'a=x+y%20z',
  '%2B=%2b+',
  'k%20ey=v=w',
  'a=%',
  'a=%zz&b=%E2%82%AC',
  'a=%E2%82',
  'a=%C3%28',
  'a=%ED%A0%80',
  'x=%F0%9F%98%80',
  'p=100%25',
  'q=a%2',
  'A=%u0041',
  'Args=%7B%22content%22%3A%22QUJD%2B%2F%3D%3D%22%7D&Name=write_file',
];

describe('local server: form parsing', () => {
  for (const text of CASES) {
    it(`decodes ${JSON.stringify(text)} as URLSearchParams does`, () => {
      assert.deepEqual({ ...parseForm(text) }, reference(text));
    });
  }

  it('builds objects without a prototype', () => {
    assert.equal(Object.getPrototypeOf(parseForm('a=1')), null);
  });

  it(`refuses more than ${MAX_PARAMS} parameters`, () => {
    const text = Array.from({ length: MAX_PARAMS + 1 }, (_, index) => `k${index}=v`).join('&');
    assert.throws(() => parseForm(text), /Too many parameters/);
  });
});
