import Ajv from 'ajv';
import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError, InputValidationError } from '../../client/errors';
import { str } from '../session-api';
import { BROWSER_DETAILS_NOTE, callBrowserTool, FIRST_PAGE, LLM_NOTE } from './browser-agent';
import { tryParseJson } from './session-helpers';

/** Compiles the caller's schema (and checks answers against it); strict off, as schemas from other tools carry annotations. */
const schemaAjv = new Ajv({ strict: false, allErrors: false });
const SCHEMA_EXPECTED = 'a JSON Schema object, e.g. {"type":"object","properties":{"title":{"type":"string"}}}';
/** Schemas kept compiled, by their JSON text; a flow sends the same few schemas again and again. */
const MAX_COMPILED_SCHEMAS = 64;
const compiledSchemas = new Map<string, (data: unknown) => boolean>();

/**
 * The validator of `schema`, compiled once per schema text: each message carries a new schema object,
 * which ajv would compile again and keep in its own cache (keyed by object) for the life of the process.
 */
export function schemaValidator(schema: Record<string, unknown>): (data: unknown) => boolean {
  if (Object.keys(schema).length === 0) {
    throw new InputValidationError('schema', SCHEMA_EXPECTED, `Schema: expected ${SCHEMA_EXPECTED}; got an empty object`);
  }
  const text = JSON.stringify(schema);
  const known = compiledSchemas.get(text);
  if (known) {
    compiledSchemas.delete(text);
    compiledSchemas.set(text, known);
    return known;
  }
  let validate: (data: unknown) => boolean;
  try {
    const compiled = schemaAjv.compile(schema);
    validate = (data) => compiled(data);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputValidationError('schema', SCHEMA_EXPECTED, `Schema: expected ${SCHEMA_EXPECTED}; it is not a valid JSON Schema: ${reason.slice(0, 300)}`);
  } finally {
    // The compiled function stays usable; ajv's own cache (and a `$id` it registered) must not grow.
    schemaAjv.removeSchema(schema);
  }
  compiledSchemas.set(text, validate);
  if (compiledSchemas.size > MAX_COMPILED_SCHEMAS) compiledSchemas.delete(compiledSchemas.keys().next().value as string);
  return validate;
}

export const extractFromPage = defineOperation({
  id: 'extractFromPage',
  displayName: 'Extract from Page',
  summary: 'Extracts structured data from the page, shaped by a JSON schema, following a plain-language instruction.',
  details: [
    'Calls the browser agent’s `page_use_extract` tool, as the SDK’s `browser.agent.extract()` does, on the browser’s first page, with the schema sent as `field_schema: "schema: <JSON>"`. The schema is checked to be a valid JSON Schema before any request, and the answer is checked against it (as the SDK checks it with its Zod schema).',
    LLM_NOTE,
    BROWSER_DETAILS_NOTE,
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'instruction',
      displayName: 'Instruction',
      description: 'What to extract, in plain language.',
      kind: 'text',
      default: '',
      required: true,
      placeholder: 'The title and price of every product',
      schema: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' },
      expected: 'an instruction such as "The title of the page"',
    },
    {
      name: 'schema',
      displayName: 'Schema',
      description: 'JSON Schema of the data to extract.',
      kind: 'json',
      default: { type: 'object', properties: { title: { type: 'string' } } },
      required: true,
      schema: { type: 'object' },
      expected: SCHEMA_EXPECTED,
    },
    {
      name: 'selector',
      displayName: 'Selector',
      description: 'Limit extraction to the part of the page this CSS selector matches.',
      kind: 'string',
      default: '',
      advanced: true,
      schema: { type: 'string', maxLength: 1000 },
      expected: 'a CSS selector, or empty',
    },
    {
      name: 'useTextExtract',
      displayName: 'Use Text Extract',
      description: 'Whether to extract from the page’s text rather than its structure.',
      kind: 'boolean',
      default: false,
      advanced: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
  ],
  outputs: [
    { name: 'data', type: 'any', description: 'The extracted data, valid against the schema.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const schema = input.schema as Record<string, unknown>;
    const validate = schemaValidator(schema);
    const args: Record<string, unknown> = { ...FIRST_PAGE, instruction: input.instruction, field_schema: `schema: ${JSON.stringify(schema)}` };
    const selector = str(input.selector).trim();
    if (selector) args.selector = selector;
    if (input.useTextExtract) args.use_text_extract = true;
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_extract', args, 'Extract failed', context.signal);
    const parsed = tryParseJson(answer.text);
    if (parsed === undefined || !validate(parsed.value)) {
      throw new AgentBayError('Extract failed: the answer does not match the schema', { code: 'InvalidResponse', requestId: answer.requestId });
    }
    return { json: { data: parsed.value, requestId: answer.requestId } };
  },
});
