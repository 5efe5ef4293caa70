/**
 * How each parameter kind appears as a Node-RED TypedInput: which value types it offers and
 * where its value comes from by default. Used by the editor generator and by the runtime, so
 * a node saved by the editor is read back the same way.
 */
import type { ParameterDefinition } from '../core/catalogue/types';

/** The custom TypedInput type for `options` parameters (a drop-down of the allowed values). */
export const OPTION_TYPE = 'agentbay-option';
/**
 * The custom type for literal multi-line text (code, scripts, file content). A TypedInput is a
 * single-line <input>, which drops newlines, so such text is edited in a textarea instead.
 * The runtime passes values of unknown types through unchanged, so it needs no special case.
 */
export const TEXT_TYPE = 'agentbay-text';

/** Parameters whose literal value may span lines. */
export const isMultiline = (parameter: ParameterDefinition): boolean =>
  parameter.kind === 'code' || parameter.kind === 'text' || parameter.kind === 'data';
const CONTEXT_SOURCES = ['msg', 'flow', 'global', 'env'];

export function typedInputTypes(parameter: ParameterDefinition): string[] {
  switch (parameter.kind) {
    case 'number':
      return ['num', ...CONTEXT_SOURCES];
    case 'boolean':
      return ['bool', ...CONTEXT_SOURCES];
    case 'options':
      return [OPTION_TYPE, ...CONTEXT_SOURCES];
    case 'json':
    case 'stringMap':
    case 'stringList':
      return ['json', ...CONTEXT_SOURCES];
    case 'data':
      return ['msg', 'flow', 'global', TEXT_TYPE, 'env'];
    case 'code':
    case 'text':
      return [TEXT_TYPE, ...CONTEXT_SOURCES];
    default:
      return ['str', ...CONTEXT_SOURCES];
  }
}

/** The literal type a parameter is stored as when the user types a value in the form. */
export function defaultTypedInput(parameter: ParameterDefinition): { type: string; value: string } {
  if (parameter.nodeRedSource) return { ...parameter.nodeRedSource };
  if (parameter.previousResultField) return { type: 'msg', value: `payload.${parameter.previousResultField}` };
  const type = typedInputTypes(parameter)[0];
  const value = parameter.default;
  if (type === 'json') return { type, value: JSON.stringify(value) };
  return { type, value: value === null || value === undefined ? '' : String(value) };
}

/** Where the session is read from unless the user points the node elsewhere. */
export const SESSION_SOURCE = { type: 'msg', value: 'agentbay.session' } as const;
export const SESSION_TYPES = ['msg', 'flow', 'global', 'str', 'env'];

/** Where the context is read from unless the user points the node elsewhere. */
export const CONTEXT_SOURCE = { type: 'msg', value: 'agentbay.context' } as const;
/** The node property that holds the Context field (`context` would read as Node-RED's context store). */
export const CONTEXT_PROPERTY = 'contextRef';
