/**
 * Node-RED locales: en-US and zh-CN message catalogues for every node type (labels, palette label,
 * summary, status texts), the same keys in both, a translation for every English text the catalogue
 * defines, and both served by a real Node-RED's editor API (test/support/editor-host.ts).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { englishTexts, LANGUAGES, zhTable } from '../../../scripts/node-red-locales';
import { CONFIG_ID } from '../../support/node-red';

const root = join(__dirname, '..', '..', '..', '..');
const registered = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);
const catalogueFile = (language: string, type: string) => join(root, 'dist', 'nodes', 'node-red', 'locales', language, `${type}.json`);

/** Every key path of a message catalogue (`agentbay-read-file.label.path`, ...). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => keyPaths(item, prefix ? `${prefix}.${key}` : key));
}

describe('Node-RED locales (en-US, zh-CN)', function () {
  this.timeout(120_000);

  it('translate every English text of the catalogue into Chinese', () => {
    const table = zhTable();
    assert.deepEqual(englishTexts().filter((text) => !table[text]), []);
    for (const text of englishTexts()) assert.match(table[text], /[\u4e00-\u9fff]/, `${text} → ${table[text]}`);
  });

  it('have a catalogue per node type in both languages, with the same keys', () => {
    for (const type of registered) {
      const [english, chinese] = LANGUAGES.map((language) => {
        assert.ok(existsSync(catalogueFile(language, type)), `${language}/${type}.json`);
        return JSON.parse(readFileSync(catalogueFile(language, type), 'utf8')) as Record<string, unknown>;
      });
      assert.deepEqual(keyPaths(chinese).sort(), keyPaths(english).sort(), type);
      assert.ok(keyPaths(english).includes(`${type}.label.name`), type);
    }
    const readFile = JSON.parse(readFileSync(catalogueFile('zh-CN', 'agentbay-read-file'), 'utf8')) as Record<string, { paletteLabel: string; status: { ok: string } }>;
    assert.equal(readFile['agentbay-read-file'].paletteLabel, 'agentbay 读取文件', 'the agentbay prefix stays');
  });

  describe('served by a real Node-RED', () => {
    let host: ChildProcess;
    let editorUrl: string;
    before(async () => {
      const flowFile = join(mkdtempSync(join(tmpdir(), 'agentbay-locales-flow-')), 'flows.json');
      writeFileSync(flowFile, JSON.stringify([{ id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: '' }]));
      host = spawn(process.execPath, [join(__dirname, '..', '..', 'support', 'editor-host.js'), flowFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: host.stdout! }).once('line', resolve);
        host.once('exit', (code) => reject(new Error(`editor host exited with ${code}`)));
      });
      editorUrl = (JSON.parse(firstLine) as { editorUrl: string }).editorUrl;
    });
    after(async () => {
      if (host && host.exitCode === null) {
        const exited = new Promise((resolve) => host.once('exit', resolve));
        host.kill('SIGTERM');
        await exited;
      }
    });

    for (const [language, label, ok] of [['en-US', 'agentbay read file', 'ok'], ['zh-CN', 'agentbay 读取文件', '完成']] as const) {
      it(`in ${language}`, async () => {
        for (const type of registered) {
          // What the editor fetches for a node set's messages.
          const response = await fetch(`${editorUrl}locales/n8n-nodes-agentbay/${type}?lng=${language}`);
          assert.equal(response.status, 200, type);
          const catalogue = (await response.json()) as Record<string, { paletteLabel: string; status?: { ok: string } }>;
          assert.ok(catalogue[type]?.paletteLabel, `${type} in ${language}`);
        }
        const response = await fetch(`${editorUrl}locales/n8n-nodes-agentbay/agentbay-read-file?lng=${language}`);
        const readFile = ((await response.json()) as Record<string, { paletteLabel: string; status: { ok: string } }>)['agentbay-read-file'];
        assert.equal(readFile.paletteLabel, label);
        assert.equal(readFile.status.ok, ok);
      });
    }
  });
});
