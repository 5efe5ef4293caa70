/** The README's node reference is generated from the catalogue; it must match it. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeWithReference } from '../../scripts/node-reference';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

  it('documents every node as the catalogue defines it', () => {
    assert.equal(readme, readmeWithReference(readme), 'run: npm run build && node dist/scripts/node-reference.js --write');
  });

  it('shows the two set-up commands', () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /npm test/);
  });
});
