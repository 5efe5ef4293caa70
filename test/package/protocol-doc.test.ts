/**
 * docs/protocol.md is the protocol the code cites: every `§N.N` in the repository must name one
 * of its numbered headings. And the repository stands alone: no file points at a path of the
 * machine it was written on or at a document outside it.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const PROTOCOL_DOC = 'docs/protocol.md';

/** Tracked files plus new ones not yet committed; ignored ones (node_modules, dist) are left out. */
function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  // Regular files only: a symlinked node_modules or a folder is not a text file of the repository.
  return listed.split('\0').filter((file) => file !== '' && existsSync(join(root, file)) && lstatSync(join(root, file)).isFile());
}

/** Text content of each file; binary files (a NUL byte) are skipped. */
function textFiles(): Array<{ file: string; text: string }> {
  return repositoryFiles().flatMap((file) => {
    const content = readFileSync(join(root, file));
    return content.includes(0) ? [] : [{ file, text: content.toString('utf8') }];
  });
}

/** Section numbers of the numbered headings: `## 2. Wire format` → 2, `### 2.1 Request` → 2.1. */
function headingNumbers(markdown: string): Set<string> {
  const numbers = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6}[ \t]+(\d+(?:\.\d+)*)\.?[ \t]/gm)) numbers.add(match[1]);
  return numbers;
}

/** Every `§N` / `§N.N` in a text, with its line number. */
function citations(text: string): Array<{ section: string; line: number }> {
  const found: Array<{ section: string; line: number }> = [];
  text.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/§[ \t]?(\d+(?:\.\d+)*)/g)) {
      found.push({ section: match[1].replace(/\.$/, ''), line: index + 1 });
    }
  });
  return found;
}

interface Rule {
  pattern: RegExp;
  what: string;
  /** Which files the rule applies to; all when absent. */
  appliesTo?: (file: string) => boolean;
}

const isDocumentation = (file: string): boolean => file.endsWith('.md') || file.startsWith('docs/');
/** Files a machine path tends to leak into: docs, configuration, scripts. */
const isDocOrConfig = (file: string): boolean =>
  isDocumentation(file) || /\.(json|ya?ml|sh|mjs|cjs)$/.test(file) || file.startsWith('.ci/') || !file.includes('.');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const home = homedir();

const OUTSIDE_REFERENCES: readonly Rule[] = [
  { pattern: /\/work\//, what: 'a path of the machine this was written on' },
  { pattern: /\.\.\/shared\b/, what: 'a folder beside the repository' },
  { pattern: /agentbay-api\.md/, what: 'a protocol document outside the repository (cite docs/protocol.md)' },
  // The session's own /tmp is fine in code; in documentation a /tmp/ path is one of this machine.
  { pattern: /\/tmp\//, what: 'a temporary path of the machine (/tmp/...)', appliesTo: isDocumentation },
  // `/home/wuying` is the session's home; any other home directory is a machine's.
  { pattern: /\/home\/(?!wuying\b)[\w.-]+/, what: 'a home directory', appliesTo: isDocOrConfig },
  { pattern: /\/Users\/[\w.-]+/, what: 'a home directory', appliesTo: isDocOrConfig },
  ...(home.length > 1 && home !== '/home/wuying'
    ? [{ pattern: new RegExp(`${escapeRegExp(home)}/`), what: `the home directory of this machine (${home})` }]
    : []),
];

describe('docs/protocol.md and references outside the repository', () => {
  const files = textFiles();
  const protocol = readFileSync(join(root, PROTOCOL_DOC), 'utf8');
  const sections = headingNumbers(protocol);

  it('reads the numbered headings of docs/protocol.md', () => {
    for (const section of ['2', '2.1', '2.2', '3.1', '4.1', '4.2', '5.3', '6', '8']) {
      assert.ok(sections.has(section), `docs/protocol.md has no heading numbered ${section}`);
    }
  });

  it('has a heading in docs/protocol.md for every § the repository cites', () => {
    const cited = files.flatMap(({ file, text }) => citations(text).map((citation) => ({ file, ...citation })));
    const inSource = cited.filter(({ file }) => /^(nodes|local-server|scripts|credentials)\//.test(file));
    assert.ok(inSource.length >= 30, `expected the source to cite docs/protocol.md, found ${inSource.length} citations`);
    const dangling = cited.filter(({ section }) => !sections.has(section));
    assert.deepEqual(
      dangling.map(({ file, line, section }) => `${file}:${line} cites §${section}`),
      [],
      'each § must match a numbered heading of docs/protocol.md',
    );
  });

  it('names the document in every source comment that cites a section', () => {
    const unnamed = files
      .filter(({ file }) => /^(nodes|local-server|scripts|credentials)\/.*\.ts$/.test(file))
      .flatMap(({ file, text }) =>
        text.split('\n').flatMap((line, index) => (line.includes('§') && !line.includes('docs/protocol.md §') ? [`${file}:${index + 1}`] : [])),
      );
    assert.deepEqual(unnamed, [], 'write `docs/protocol.md §N.N`, so a reader knows which document is meant');
  });

  it('names no path outside the repository in any file', () => {
    const found: string[] = [];
    for (const { file, text } of files) {
      const lines = text.split('\n');
      for (const rule of OUTSIDE_REFERENCES) {
        if (rule.appliesTo && !rule.appliesTo(file)) continue;
        lines.forEach((line, index) => {
          const match = rule.pattern.exec(line);
          if (match) found.push(`${file}:${index + 1}: ${rule.what}: "${match[0]}"`);
        });
      }
    }
    assert.deepEqual(found, []);
  });

  it('recognises citations, headings and outside paths (the checks can fail)', () => {
    assert.deepEqual(citations('see §4.1 step 6 and §2.2/§8.'), [
      { section: '4.1', line: 1 },
      { section: '2.2', line: 1 },
      { section: '8', line: 1 },
    ]);
    assert.deepEqual([...headingNumbers('## 2. Wire format\n### 2.1 Request\n#### Not numbered\n')], ['2', '2.1']);
    const leaks = ['/wo' + 'rk/shared/x', '../sha' + 'red/x', 'agentbay-api' + '.md', '/home/ali' + 'ce/x'];
    for (const leak of leaks) {
      assert.ok(OUTSIDE_REFERENCES.some((rule) => rule.pattern.test(leak)), `no rule catches ${leak}`);
    }
    assert.ok(!OUTSIDE_REFERENCES.some((rule) => rule.pattern.test('/home/wuying/report.txt')), 'the session home is not a leak');
  });
});
