/**
 * Node-RED message catalogues (`locales/<lang>/<node type>.json` beside each node's .js): en-US
 * rendered from the catalogue, zh-CN from the same texts through the translation table
 * `locales/zh-CN.json` (English text → Chinese). Keys, per node type: `paletteLabel`, `summary`,
 * `label.<field>` (form labels; `name`, `server`, `session`, `contextRef` included), `expected.<field>`
 * (for input errors) and `status.working` / `status.ok`; the connection node's also `runtime.<key>`, the
 * runtime texts of every node (progress, input errors; `catalogue/runtime-texts.ts`, placeholders as
 * Node-RED's `__name__`). Help panels: `locales/<lang>/<node type>.html` for languages other than en-US
 * (whose help stays in the editor file), rendered by the same code through the table.
 * A text the table lacks stays English in zh-CN; the locales test names every such text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations } from '../nodes/core/catalogue/index';
import { NODE_RED_CONFIG_TYPE, nodeRedLabel, nodeRedType } from '../nodes/core/catalogue/naming';
import { parametersFor, takesContext, takesSession, type OperationDefinition } from '../nodes/core/catalogue/types';
import { CONTEXT_PROPERTY } from '../nodes/node-red/typed-inputs';
import { connectionFields } from '../nodes/core/connection';
import { fillTemplate, RUNTIME_TEXTS } from '../nodes/core/catalogue/runtime-texts';
import { HELP_TEXTS, renderConfigHelp, renderOperationHelp } from '../nodes/node-red/editor-html';

export const LANGUAGES = ['en-US', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageCatalogue = Record<
  string,
  {
    paletteLabel: string;
    summary?: string;
    label: Record<string, string>;
    expected?: Record<string, string>;
    status?: Record<string, string>;
    runtime?: Record<string, string>;
  }
>;

/** The translation table, read from the source tree at build time. */
export function zhTable(): Record<string, string> {
  const path = join(__dirname, '..', '..', 'nodes', 'node-red', 'locales', 'zh-CN.json');
  const table = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(table).filter(([key]) => !key.startsWith('$')));
}

/** Every English text the catalogues hold, for the completeness check. */
export function englishTexts(): string[] {
  const texts = new Set<string>(['Name', 'Connection', 'Session', 'Context', 'ok', 'working…', 'AgentBay connection', 'Custom Endpoint']);
  for (const operation of operations) {
    texts.add(operation.displayName);
    texts.add(operation.summary);
    texts.add(operation.details);
    for (const parameter of parametersFor(operation, 'node-red')) {
      texts.add(parameter.displayName);
      texts.add(parameter.description);
      texts.add(parameter.expected);
    }
    for (const output of operation.outputs) texts.add(output.description);
  }
  for (const field of connectionFields) {
    texts.add(field.displayName);
    texts.add(field.description);
  }
  for (const text of Object.values(HELP_TEXTS)) texts.add(text);
  for (const text of Object.values(RUNTIME_TEXTS)) texts.add(text);
  return [...texts];
}

function operationCatalogue(operation: OperationDefinition, t: (text: string) => string): MessageCatalogue {
  const label: Record<string, string> = { name: t('Name'), server: t('Connection') };
  if (takesSession(operation)) label.session = t('Session');
  if (takesContext(operation)) label[CONTEXT_PROPERTY] = t('Context');
  const expected: Record<string, string> = {};
  for (const parameter of parametersFor(operation, 'node-red')) {
    label[parameter.name] = t(parameter.displayName);
    expected[parameter.name] = t(parameter.expected);
  }
  const palette = nodeRedLabel(operation);
  return {
    [nodeRedType(operation)]: {
      // The "agentbay" prefix stays in every language: it sets the nodes apart from core nodes.
      paletteLabel: t === identity ? palette : `agentbay ${t(operation.displayName)}`,
      summary: t(operation.summary),
      label,
      expected,
      status: { working: t === identity ? `${operation.displayName.toLowerCase()}…` : `${t(operation.displayName)}…`, ok: t('ok') },
    },
  };
}

function configCatalogue(t: (text: string) => string): MessageCatalogue {
  const label: Record<string, string> = { name: t('Name') };
  for (const field of connectionFields) label[field.name] = t(field.displayName);
  // Node-RED's interpolation marks a value as `__name__`.
  const runtime = Object.fromEntries(
    Object.entries(RUNTIME_TEXTS).map(([key, english]) => [key, fillTemplate(t(english), (name) => `__${name}__`)]),
  );
  return { [NODE_RED_CONFIG_TYPE]: { paletteLabel: t('AgentBay connection'), label, runtime } };
}

const identity = (text: string): string => text;

/** The catalogue files of one language: node type → its catalogue. */
export function messageCatalogues(language: Language): Map<string, MessageCatalogue> {
  const table = language === 'zh-CN' ? zhTable() : undefined;
  const t = table ? (text: string) => table[text] ?? text : identity;
  const files = new Map<string, MessageCatalogue>();
  files.set(NODE_RED_CONFIG_TYPE, configCatalogue(t));
  for (const operation of operations) files.set(nodeRedType(operation), operationCatalogue(operation, t));
  return files;
}

/** The help files of a language other than en-US (`locales/<lang>/<type>.html`): node type → help element. */
export function helpFiles(language: Exclude<Language, 'en-US'>): Map<string, string> {
  const table = language === 'zh-CN' ? zhTable() : {};
  const t = (text: string): string => table[text] ?? text;
  const files = new Map<string, string>();
  files.set(NODE_RED_CONFIG_TYPE, `${renderConfigHelp(t)}\n`);
  for (const operation of operations) files.set(nodeRedType(operation), `${renderOperationHelp(operation, t)}\n`);
  return files;
}
