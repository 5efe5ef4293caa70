/**
 * Editor-side checks of literal values, so Node-RED shows its red triangle on a bad field before
 * deploy. Each parameter's rule comes from its definition (required flag, JSON Schema bounds,
 * options); the browser code below applies it to values typed into the form. A value taken from
 * msg, flow, global or env is only known at run time and always passes here (the runtime
 * validation in nodes/core/catalogue/validation.ts still checks it).
 */
import type { ParameterDefinition } from '../core/catalogue/types';
import { defaultTypedInput, OPTION_TYPE, TEXT_TYPE } from './typed-inputs';

/** What the editor checks for one parameter; JSON-serialisable, rendered into the editor script. */
export interface LiteralRule {
  required: boolean;
  /** The type a node saved without a `<name>Type` property is read as. */
  fallbackType: string;
  integer?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** For `json` values: the JSON type the schema asks for. */
  jsonType?: 'array' | 'object';
  options?: string[];
}

export function literalRule(parameter: ParameterDefinition): LiteralRule {
  const schema = parameter.schema ?? {};
  const rule: LiteralRule = { required: parameter.required === true, fallbackType: defaultTypedInput(parameter).type };
  if (schema.type === 'integer') rule.integer = true;
  if (typeof schema.minimum === 'number') rule.minimum = schema.minimum;
  if (typeof schema.maximum === 'number') rule.maximum = schema.maximum;
  if (typeof schema.minLength === 'number') rule.minLength = schema.minLength;
  if (typeof schema.maxLength === 'number') rule.maxLength = schema.maxLength;
  if (schema.type === 'array' || schema.type === 'object') rule.jsonType = schema.type;
  if (parameter.options) rule.options = parameter.options.map((option) => option.value);
  return rule;
}

/**
 * Browser code (ES5, as the rest of the editor script): `literalValidator(name, rule)` makes a
 * Node-RED `validate` function. The value type is read from the open form when there is one,
 * else from the node (`<name>Type`), else the rule's fallback.
 */
export const LITERAL_VALIDATOR_SOURCE = `
  var LITERAL_TYPES = ['str', 'num', 'bool', 'json', ${JSON.stringify(OPTION_TYPE)}, ${JSON.stringify(TEXT_TYPE)}];
  function checkLiteral(rule, type, value) {
    var text = value === undefined || value === null ? '' : String(value);
    if (text.trim() === '') return !rule.required;
    if (type === 'num') {
      var number = Number(text);
      if (!isFinite(number)) return false;
      if (rule.integer && Math.floor(number) !== number) return false;
      if (rule.minimum !== undefined && number < rule.minimum) return false;
      if (rule.maximum !== undefined && number > rule.maximum) return false;
      return true;
    }
    if (type === 'bool') return text === 'true' || text === 'false';
    if (type === ${JSON.stringify(OPTION_TYPE)}) return !rule.options || rule.options.indexOf(text) !== -1;
    if (type === 'json') {
      var parsed;
      try { parsed = JSON.parse(text); } catch (e) { return false; }
      if (rule.jsonType === 'array') return Array.isArray(parsed);
      if (rule.jsonType === 'object') return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
      return true;
    }
    if (rule.minLength !== undefined && text.length < rule.minLength) return false;
    if (rule.maxLength !== undefined && text.length > rule.maxLength) return false;
    return true;
  }
  function literalValidator(name, rule) {
    return function (value) {
      var typeField = $('#node-input-' + name + 'Type');
      var type = (typeField.length && typeField.val()) || this[name + 'Type'] || rule.fallbackType;
      // msg, flow, global and env values are only known when the flow runs.
      if (LITERAL_TYPES.indexOf(type) === -1) return true;
      return checkLiteral(rule, type, value);
    };
  }`;
