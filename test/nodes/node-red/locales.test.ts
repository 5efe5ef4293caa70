/**
 * Node-RED locales: en-US and zh-CN message catalogues for every node type (labels, palette label,
 * summary, status texts, expected forms, the runtime texts), the same keys in both, a translation for
 * every English text the catalogue defines (help texts and runtime texts included), both served by a
 * real Node-RED's editor API (test/support/editor-host.ts) with the help panels, and a real Node-RED
 * runtime whose language is zh-CN showing Chinese status texts and errors (runtime-language-host.ts).
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { RUNTIME_TEXTS } from '../../../nodes/core/catalogue/runtime-texts';
import { HELP_TEXTS } from '../../../nodes/node-red/editor-html';
import { englishTexts, LANGUAGES, zhTable } from '../../../scripts/node-red-locales';
import { waitFor } from '../../support/wait';
import { CONFIG_ID } from '../../support/node-red';

const CJK = /[\u4e00-\u9fff]/;
const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();

/** Starts a support script (a real Node-RED in a child process) and reads its output lines. */
function startHost(script: string, args: string[]): { host: ChildProcess; lines: string[] } {
  const host = spawn(process.execPath, [join(__dirname, '..', '..', 'support', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: host.stdout! }).on('line', (line) => lines.push(line));
  return { host, lines };
}

async function stopHost(host: ChildProcess | undefined): Promise<void> {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
}

/** The help elements of a `GET /nodes` answer (text/html), by node type. */
function helpByType(html: string): Map<string, string> {
  const help = new Map<string, string>();
  const opening = 'data-help-name="';
  for (let start = html.indexOf(opening); start !== -1; start = html.indexOf(opening, start + 1)) {
    const typeEnd = html.indexOf('"', start + opening.length);
    const end = html.indexOf('</script>', typeEnd);
    help.set(html.slice(start + opening.length, typeEnd), html.slice(typeEnd, end));
  }
  return help;
}

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

  it('keep every placeholder of the help and runtime templates in the Chinese text', () => {
    const table = zhTable();
    for (const template of [...Object.values(HELP_TEXTS), ...Object.values(RUNTIME_TEXTS)]) {
      assert.deepEqual(placeholders(table[template]), placeholders(template), `${template} → ${table[template]}`);
    }
  });

  it('write a zh-CN help file per node type, in Chinese, and the en-US help stays in the editor file', () => {
    for (const type of registered) {
      const chinese = readFileSync(join(root, 'dist', 'nodes', 'node-red', 'locales', 'zh-CN', `${type}.html`), 'utf8');
      assert.match(chinese, new RegExp(`^<script type="text/markdown" data-help-name="${type}">`), type);
      const english = readFileSync(join(root, 'dist', 'nodes', 'node-red', `${type}.html`), 'utf8');
      const englishHelp = english.slice(english.indexOf('data-help-name='));
      assert.ok(CJK.test(chinese) && !CJK.test(englishHelp), type);
    }
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

      it(`serves the help panel of every node in ${language}`, async () => {
        // What the editor loads at start: every node's form and help, in the browser's language.
        const response = await fetch(`${editorUrl}nodes`, { headers: { Accept: 'text/html', 'Accept-Language': language } });
        assert.equal(response.status, 200);
        const help = helpByType(await response.text());
        for (const type of registered) {
          assert.ok(help.has(type), `${type} help in ${language}`);
          assert.equal(CJK.test(help.get(type)!), language === 'zh-CN', `${type} help in ${language}: ${help.get(type)!.slice(0, 200)}`);
        }
        assert.match(help.get('agentbay-read-file')!, language === 'zh-CN' ? /### 输入[\s\S]*\*\*路径\*\* \(string\): 要读取的文件。/ : /### Inputs[\s\S]*\*\*Path\*\* \(string\): The file to read\./);
      });
    }
  });

  describe('in a real Node-RED runtime whose language is zh-CN', () => {
    let host: ChildProcess | undefined;
    after(() => stopHost(host));

    it('shows status texts and input errors in Chinese', async () => {
      const report = (what: string) => `node.warn(JSON.stringify({ ${what} })); return null;`;
      const flow = [
        { id: 'tab', type: 'tab', label: 'language' },
        { id: CONFIG_ID, type: 'agentbay-config', name: 'local', region: 'custom', customEndpoint: '' },
        { id: 'go', type: 'inject', z: 'tab', once: true, onceDelay: 0.1, props: [], wires: [['runsTemporary', 'noCommand', 'noSession']] },
        // Progress (a keyed runtime text) and the node's own status texts (working, ok). (No node ID may equal a property value:
        // Node-RED would take it for a config node reference.)
        { id: 'runsTemporary', type: 'agentbay-execute-command', z: 'tab', server: CONFIG_ID, ifNoSession: 'temporary', ifNoSessionType: 'agentbay-option', command: 'sleep 1; echo hi', commandType: 'str', wires: [[]] },
        // A field validation error: the template translated, the field's label and expected form from the catalogue.
        { id: 'noCommand', type: 'agentbay-execute-command', z: 'tab', server: CONFIG_ID, ifNoSession: 'temporary', ifNoSessionType: 'agentbay-option', command: '', commandType: 'str', wires: [[]] },
        // The "no session" error.
        { id: 'noSession', type: 'agentbay-read-file', z: 'tab', server: CONFIG_ID, path: '/tmp/x', pathType: 'str', wires: [[]] },
        { id: 'statuses', type: 'status', z: 'tab', scope: ['runsTemporary', 'noCommand'], wires: [['reportStatus']] },
        { id: 'reportStatus', type: 'function', z: 'tab', func: report('node: msg.status.source.id, status: msg.status.text'), outputs: 1, wires: [[]] },
        { id: 'errors', type: 'catch', z: 'tab', scope: ['noCommand', 'noSession'], uncaught: false, wires: [['reportError']] },
        { id: 'reportError', type: 'function', z: 'tab', func: report('node: msg.error.source.id, error: msg.error.message'), outputs: 1, wires: [[]] },
      ];
      const flowFile = join(mkdtempSync(join(tmpdir(), 'agentbay-language-flow-')), 'flows.json');
      writeFileSync(flowFile, JSON.stringify(flow));
      const started = startHost('runtime-language-host.js', [flowFile, 'zh-CN']);
      host = started.host;
      const reports = () =>
        started.lines
          .map((line) => JSON.parse(line) as { id: string; msg: unknown })
          .filter((entry) => entry.id === 'reportStatus' || entry.id === 'reportError')
          .map((entry) => JSON.parse(String(entry.msg)) as { node: string; status?: string; error?: string });
      const seen = (node: string, key: 'status' | 'error', text: string) => reports().some((entry) => entry.node === node && entry[key] === text);
      await waitFor(() => seen('runsTemporary', 'status', '完成'), 60_000, () => `the temporary session's ok status in ${started.lines.join('\n')}`);
      await waitFor(() => reports().filter((entry) => entry.error).length >= 2, 10_000, () => `two errors in ${started.lines.join('\n')}`);
      const statuses = reports().filter((entry) => entry.node === 'runsTemporary').map((entry) => entry.status);
      // The working status shows once a message has run for 100 ms (the command sleeps 1 s).
      assert.ok(statuses.includes('正在创建临时会话') && statuses.includes('执行命令…'), JSON.stringify(statuses));
      assert.equal(statuses[statuses.length - 1], '完成', JSON.stringify(statuses));
      assert.ok(seen('noCommand', 'error', '命令（command）为必填项：应为shell 命令行，例如 ls -la'), JSON.stringify(reports()));
      assert.ok(seen('noCommand', 'status', '无效的 command'), JSON.stringify(reports()));
      assert.ok(
        seen(
          'noSession',
          'error',
          '会话必须是带有 sessionId 的会话对象（即创建会话的输出）或会话 ID 字符串，实际为空（未提供）。请在此节点之前放置一个创建会话节点，或设置会话。或者把“无会话时”设为“使用临时会话”。',
        ),
        JSON.stringify(reports()),
      );
    });
  });
});
