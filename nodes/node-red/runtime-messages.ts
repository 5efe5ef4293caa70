/**
 * Texts a node shows at run time (status, error messages) in the runtime's language, through
 * Node-RED's `RED._` and this package's message catalogues (locales/<lang>/<type>.json, written by
 * scripts/node-red-locales.ts). Whatever a catalogue lacks stays English.
 */
import { NODE_RED_CONFIG_TYPE } from '../core/catalogue/naming';
import { renderText, type RuntimeText, type RuntimeTextKey } from '../core/catalogue/runtime-texts';
import { PACKAGE_NAME } from '../core/catalogue/version';
import type { RedApi } from './red-api';

/**
 * The runtime texts are one table for every node, kept in the connection node's catalogue; a key with
 * a namespace (`<module>/<node set>:`) reaches it from any node.
 */
export const RUNTIME_TEXTS_KEY = `${PACKAGE_NAME}/${NODE_RED_CONFIG_TYPE}:${NODE_RED_CONFIG_TYPE}.runtime`;

export interface RuntimeMessages {
  /** A message of this node's own catalogue (`status.ok`), or the English given. */
  own(key: string, english: string): string;
  /** A runtime text (progress, error) in the runtime's language. */
  text(text: string | RuntimeText): string;
}

export function runtimeMessages(RED: RedApi, nodeType: string): RuntimeMessages {
  // i18next answers a key it does not have with the key itself (with or without its namespace).
  const lookup = (key: string, values?: Record<string, string>): string | undefined => {
    const text = RED._?.(key, values);
    return typeof text === 'string' && text !== '' && !text.endsWith(key.slice(key.indexOf(':') + 1)) ? text : undefined;
  };
  return {
    own: (key, english) => lookup(`${nodeType}.${key}`) ?? english,
    text: (text) =>
      renderText(
        text,
        (key: RuntimeTextKey, values) => lookup(`${RUNTIME_TEXTS_KEY}.${key}`, values),
        (field) => lookup(`${nodeType}.${field.part}.${field.field}`),
      ),
  };
}
