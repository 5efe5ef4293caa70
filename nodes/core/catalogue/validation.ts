/**
 * Turns raw runtime values (n8n parameters, Node-RED TypedInput results) into an operation's
 * input: coerce by kind, apply defaults, then validate against the JSON Schema with ajv.
 * Every failure is an InputValidationError that names the field and the expected form.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { InputValidationError } from '../client/errors';
import { fieldExpectedText, fieldLabelText, runtimeText, type RuntimeText } from './runtime-texts';
import type { OperationDefinition, OperationInput, ParameterDefinition } from './types';

const ajv = new Ajv({ allErrors: false, strict: false, useDefaults: false });
const compiled = new WeakMap<OperationDefinition, ValidateFunction>();

function validatorFor(operation: OperationDefinition): ValidateFunction {
  let validate = compiled.get(operation);
  if (!validate) {
    const properties: Record<string, unknown> = {};
    const required: string[] = [];
    for (const parameter of operation.parameters) {
      if (parameter.schema) properties[parameter.name] = parameter.schema;
      if (parameter.required) required.push(parameter.name);
    }
    validate = ajv.compile({ type: 'object', properties, required });
    compiled.set(operation, validate);
  }
  return validate;
}

/** `Timeout (timeoutMs)`: the label users see plus the key they can search for. */
export function fieldLabel(parameter: ParameterDefinition): string {
  return `${parameter.displayName} (${parameter.name})`;
}

function invalid(parameter: ParameterDefinition, problem: string | RuntimeText): InputValidationError {
  return new InputValidationError(
    parameter.name,
    parameter.expected,
    runtimeText('invalidField', {
      label: fieldLabelText(parameter.name, parameter.displayName),
      name: parameter.name,
      problem,
      expected: fieldExpectedText(parameter.name, parameter.expected),
    }),
  );
}

const startsWithVowel = (type: string): boolean => /^[aeiou]/.test(type);
const withArticle = (type: string): string => (startsWithVowel(type) ? `an ${type}` : `a ${type}`);
/** `must be a string` / `must be an object`. */
const mustBeType = (type: string): RuntimeText => runtimeText(startsWithVowel(type) ? 'mustBeAn' : 'mustBeA', { type });

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function parseJsonText(parameter: ParameterDefinition, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid(parameter, runtimeText('isNotValidJson'));
  }
}

function coerce(parameter: ParameterDefinition, value: unknown): unknown {
  switch (parameter.kind) {
    case 'number':
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return value;
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value;
    case 'json':
    case 'stringMap':
      return typeof value === 'string' ? parseJsonText(parameter, value) : value;
    case 'stringList':
      if (typeof value !== 'string') return value;
      if (value.trim().startsWith('[')) return parseJsonText(parameter, value);
      return value
        .split(/[,\n]/)
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'data':
      if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value);
      if (parameter.resultTextField && isResultObject(value)) return resultText(parameter, parameter.resultTextField, value);
      throw invalid(parameter, runtimeText('isValueOfType', { type: describe(value) }));
    default:
      return value;
  }
}

function isResultObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The text output of an earlier step's result (own property only: the object is message input). */
function resultText(parameter: ParameterDefinition, field: string, result: Record<string, unknown>): string {
  const text = Object.prototype.hasOwnProperty.call(result, field) ? result[field] : undefined;
  if (typeof text !== 'string') throw invalid(parameter, runtimeText('objectWithoutTextField', { field }));
  return text;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : withArticle(typeof value);
}

/** Ajv's complaint, prefixed with where inside the value it is (`item 0 "path"`). */
function explain(error: ErrorObject): string | RuntimeText {
  const segments = error.instancePath.split('/').slice(2);
  // Innermost first: `item 0 "path" is required` is item 0 of (`"path"` of (the problem)).
  return segments.reduceRight<string | RuntimeText>(
    (problem, segment) => (/^\d+$/.test(segment) ? runtimeText('atItem', { index: segment, problem }) : runtimeText('atProperty', { property: segment, problem })),
    plainProblem(error),
  );
}

/** Ajv's own text (English only) for keywords the catalogue's schemas rarely use. */
function plainProblem(error: ErrorObject): string | RuntimeText {
  if (error.keyword === 'type') return mustBeType(String(error.params.type));
  if (error.keyword === 'enum') return runtimeText('mustBeOneOf', { values: (error.params.allowedValues as unknown[]).join(', ') });
  // Ajv's own text for these quotes the pattern; the expected form that follows says it better.
  if (error.keyword === 'pattern' || error.keyword === 'not') return runtimeText('notInExpectedForm');
  return error.message ?? 'is invalid';
}

/**
 * Builds the operation's input from raw values keyed by parameter name. Parameters hidden by
 * `showWhen` are dropped, so a stale hidden value can never reach the wire.
 */
export function prepareInput(operation: OperationDefinition, raw: Record<string, unknown>): OperationInput {
  const input: OperationInput = {};
  for (const parameter of operation.parameters) {
    let value = raw[parameter.name];
    if (isAbsent(value)) {
      if (parameter.required && parameter.kind !== 'data') throw invalid(parameter, runtimeText('isRequired'));
      value = isAbsent(parameter.default) ? undefined : parameter.default;
    }
    if (value === undefined) continue;
    input[parameter.name] = coerce(parameter, value);
  }
  for (const parameter of operation.parameters) {
    if (parameter.showWhen && !isShown(parameter, input)) delete input[parameter.name];
  }
  for (const parameter of operation.parameters) {
    if (parameter.required && input[parameter.name] === undefined) throw invalid(parameter, runtimeText('isRequired'));
  }

  const validate = validatorFor(operation);
  if (!validate(input)) {
    const error = validate.errors?.[0];
    const name = error ? (error.instancePath.split('/')[1] ?? String(error.params.missingProperty ?? '')) : '';
    const parameter = operation.parameters.find((candidate) => candidate.name === name);
    if (parameter && error) throw invalid(parameter, explain(error));
    throw new InputValidationError(name || 'input', 'valid parameters', `Invalid input: ${ajv.errorsText(validate.errors)}`);
  }
  return input;
}

export function isShown(parameter: ParameterDefinition, values: Record<string, unknown>): boolean {
  if (!parameter.showWhen) return true;
  return Object.entries(parameter.showWhen).every(([other, allowed]) =>
    allowed.includes(values[other] as string | number | boolean),
  );
}
