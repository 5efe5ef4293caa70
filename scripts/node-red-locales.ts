/**
 * Node-RED message catalogues (`locales/<lang>/<node type>.json` beside each node's .js): en-US
 * rendered from the catalogue, zh-CN from the same texts through the translation table
 * `locales/zh-CN.json` (English text → Chinese). Keys, per node type: `paletteLabel`, `summary`,
 * `label.<field>` (form labels; `name`, `server`, `session`, `contextRef` included) and `status.working` / `status.ok`.
 * A text the table lacks stays English in zh-CN; the locales test names every such text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations } from '../nodes/core/catalogue/index';
import { NODE_RED_CONFIG_TYPE, nodeRedLabel, nodeRedType } from '../nodes/core/catalogue/naming';
import { parametersFor, takesContext, takesSession, type OperationDefinition } from '../nodes/core/catalogue/types';
import { CONTEXT_PROPERTY } from '../nodes/node-red/typed-inputs';
import { connectionFields } from '../nodes/core/connection';

export const LANGUAGES = ['en-US', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
export type MessageCatalogue = Record<string, { paletteLabel: string; summary?: string; label: Record<string, string>; status?: Record<string, string> }>;

/** The translation table, read from the source tree at build time. */
export function zhTable(): Record<string, string> {
  const path = join(__dirname, '..', '..', 'nodes', 'node-red', 'locales', 'zh-CN.json');
  const table = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  return Object.fromEntries(Object.entries(table).filter(([key]) => !key.startsWith('$')));
}

/** Every English text the catalogues hold, for the completeness check. */
export function englishTexts(): string[] {
  const texts = new Set<string>(['Name', 'Connection', 'Session', 'ok', 'working…', 'AgentBay connection']);
  for (const operation of operations) {
    texts.add(operation.displayName);
    texts.add(operation.summary);
    for (const parameter of parametersFor(operation, 'node-red')) texts.add(parameter.displayName);
  }
  for (const field of connectionFields) texts.add(field.displayName);
  return [...texts];
}

function operationCatalogue(operation: OperationDefinition, t: (text: string) => string): MessageCatalogue {
  const label: Record<string, string> = { name: t('Name'), server: t('Connection') };
  if (takesSession(operation)) label.session = t('Session');
  if (takesContext(operation)) label[CONTEXT_PROPERTY] = t('Context');
  for (const parameter of parametersFor(operation, 'node-red')) label[parameter.name] = t(parameter.displayName);
  const palette = nodeRedLabel(operation);
  return {
    [nodeRedType(operation)]: {
      // The "agentbay" prefix stays in every language: it sets the nodes apart from core nodes.
      paletteLabel: t === identity ? palette : `agentbay ${t(operation.displayName)}`,
      summary: t(operation.summary),
      label,
      status: { working: t === identity ? `${operation.displayName.toLowerCase()}…` : `${t(operation.displayName)}…`, ok: t('ok') },
    },
  };
}

function configCatalogue(t: (text: string) => string): MessageCatalogue {
  const label: Record<string, string> = { name: t('Name') };
  for (const field of connectionFields) label[field.name] = t(field.displayName);
  return { [NODE_RED_CONFIG_TYPE]: { paletteLabel: t('AgentBay connection'), label } };
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
