/**
 * Parameter validation with ajv. Each Action declares its fields once; the schema is compiled
 * once at module load. Wire values are strings, so ajv coerces them (`"10"` → 10, `"false"` →
 * false). Fields that carry JSON in a string (Labels, PersistenceDataList, Args, ...) are parsed
 * and checked against a second schema. Errors name the field and the expected form.
 * Numeric fields are stricter than ajv's coercion (which takes `0x10`, `1e3`, ` 10`): plain
 * decimal digits only, checked before ajv sees them.
 */
import Ajv, { type ErrorObject, type SchemaObject } from 'ajv';
import { invalidParameter } from './errors';
import { parseWireJson } from './json-field';
import type { RawParams } from './params';
import { emptyRecord } from './wire-keys';

/** Form values are strings: coerce them to the declared scalar types. */
const formAjv = new Ajv({ coerceTypes: true, strict: true });
/** JSON-in-a-string values already have types: no coercion ({"n":1} is not a string label). */
const jsonAjv = new Ajv({ strict: true });

export interface FieldSpec {
  /** Schema of the wire value (after coercion from the form string). */
  schema: SchemaObject;
  /** Human text for the error message, e.g. "an integer from 30100 to 30199". */
  expect: string;
  required?: boolean;
  /** When set, the string is JSON and its parsed value must match this schema. */
  json?: SchemaObject;
}

export type FieldSpecs = Record<string, FieldSpec>;

interface CompiledJsonField {
  name: string;
  expect: string;
  validate: (data: unknown) => boolean;
}

export interface ParamValidator<P> {
  (raw: RawParams): P;
}

/** Plain decimal, no sign, no leading zero; 16 digits keep every accepted value a safe integer. */
const DECIMAL_INTEGER = /^(0|[1-9][0-9]{0,15})$/;

function isNumeric(schema: SchemaObject): boolean {
  return schema.type === 'integer' || schema.type === 'number';
}

function fieldOf(error: ErrorObject): string {
  if (error.keyword === 'required') return String(error.params.missingProperty);
  return error.instancePath.split('/')[1] ?? '';
}

/**
 * Builds the validator for one Action. Only declared fields are kept (Format, Version,
 * Authorization... are ignored), and empty strings count as absent: the SDK sends `Server=`.
 */
export function compileParams<P>(specs: FieldSpecs): ParamValidator<P> {
  const properties: Record<string, SchemaObject> = {};
  const required: string[] = [];
  const jsonFields: CompiledJsonField[] = [];
  const numericFields = Object.keys(specs).filter((name) => isNumeric(specs[name]!.schema));
  for (const [name, spec] of Object.entries(specs)) {
    properties[name] = spec.schema;
    if (spec.required) required.push(name);
    if (spec.json) jsonFields.push({ name, expect: spec.expect, validate: jsonAjv.compile(spec.json) });
  }
  const validate = formAjv.compile<Record<string, unknown>>({ type: 'object', properties, required });

  return (raw: RawParams): P => {
    const picked = emptyRecord<unknown>();
    for (const name of Object.keys(specs)) {
      const value = raw[name];
      if (value !== undefined && value !== '') picked[name] = value;
    }
    for (const name of numericFields) {
      const value = picked[name];
      if (typeof value === 'string' && !DECIMAL_INTEGER.test(value)) {
        throw invalidParameter(`Invalid parameter ${name}: expected ${specs[name]!.expect}, written as plain decimal digits.`);
      }
    }
    if (!validate(picked)) {
      const error = validate.errors?.[0];
      const name = error ? fieldOf(error) : '';
      const spec = specs[name];
      const verb = error?.keyword === 'required' ? 'Missing parameter' : 'Invalid parameter';
      throw invalidParameter(spec ? `${verb} ${name}: expected ${spec.expect}.` : 'Invalid parameters.');
    }
    for (const field of jsonFields) {
      const text = picked[field.name];
      if (typeof text !== 'string') continue;
      const parsed = parseWireJson(text);
      if (!parsed.ok) throw invalidParameter(`Invalid parameter ${field.name}: expected ${field.expect}; ${parsed.reason}.`);
      if (!field.validate(parsed.value)) {
        throw invalidParameter(`Invalid parameter ${field.name}: expected ${field.expect}.`);
      }
      picked[field.name] = parsed.value;
    }
    // Safe: `picked` has just been checked against the schema that P describes.
    return picked as P;
  };
}

/** Shared field specs. */
export const sessionIdField: FieldSpec = {
  schema: { type: 'string', maxLength: 128 },
  expect: 'the session id returned by CreateMcpSession',
  required: true,
};

export const labelsJsonSchema: SchemaObject = {
  type: 'object',
  propertyNames: { type: 'string', minLength: 1, maxLength: 128 },
  additionalProperties: { type: 'string', maxLength: 1024 },
  maxProperties: 64,
};

export const labelsExpect = 'a JSON object string of string keys to string values, e.g. {"project":"demo"}';
