/**
 * Extract from Page's schema validators: compiled once per schema text (each message brings a new
 * schema object), and a schema with an `$id` usable again (ajv refuses a second `$id` it keeps).
 */
import { strict as assert } from 'node:assert';
import { schemaValidator } from '../../../../../nodes/core/catalogue/operations/extract-from-page';
import { InputValidationError } from '../../../../../nodes/core/client/errors';

const schemaText = '{"$id":"https://example.com/title.json","type":"object","properties":{"title":{"type":"string"}},"required":["title"]}';

describe('Extract from Page: schema validators', () => {
  it('compiles a schema text once, however many messages bring it as a new object', () => {
    const first = schemaValidator(JSON.parse(schemaText) as Record<string, unknown>);
    const second = schemaValidator(JSON.parse(schemaText) as Record<string, unknown>);
    assert.equal(second, first);
  });

  it('validates with the schema, also for a schema with an $id seen before', () => {
    for (let message = 0; message < 3; message++) {
      const schema = JSON.parse(schemaText.replace('title.json', `title-${message}.json`)) as Record<string, unknown>;
      const validate = schemaValidator(schema);
      assert.equal(validate({ title: 'x' }), true);
      assert.equal(validate({ title: 1 }), false);
      // The same $id, as a new object with other content: ajv would refuse it if it kept the first one.
      const variant = { ...schema, required: [] };
      assert.equal(schemaValidator(variant)({}), true);
    }
  });

  it('refuses an invalid schema naming the field', () => {
    assert.throws(
      () => schemaValidator({ type: 'no-such-type' }),
      (error: unknown) => error instanceof InputValidationError && error.field === 'schema' && /not a valid JSON Schema/.test(error.message),
    );
  });
});
