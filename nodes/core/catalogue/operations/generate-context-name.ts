import { defineOperation } from '../define';
import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `YYYYMMDDHHMMSS_<random>` in UTC (the TS SDK's choice), random part from a CSPRNG. */
export function generateContextNameValue(length: number, includeTimestamp: boolean, now: Date): string {
  let random = '';
  for (let index = 0; index < length; index++) random += ALPHABET[randomInt(ALPHABET.length)];
  if (!includeTimestamp) return random;
  const timestamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${timestamp}_${random}`;
}

export const generateContextName = defineOperation({
  id: 'generateContextName',
  displayName: 'Generate Context Name',
  summary: 'Generates a unique name for a persistent context, like 20250112143025_kG8hN2pQ.',
  details: [
    'Makes a name of the form `YYYYMMDDHHMMSS_<random>` (UTC time, random letters and digits from a cryptographic source), or just the random part.',
    'It makes no API call and needs no session.',
  ].join('\n\n'),
  session: 'none',
  offline: true,
  parameters: [
    {
      name: 'length',
      displayName: 'Length',
      description: 'Number of random characters.',
      kind: 'number',
      default: 8,
      schema: { type: 'integer', minimum: 1, maximum: 128 },
      expected: 'a whole number from 1 to 128',
    },
    {
      name: 'includeTimestamp',
      displayName: 'Include Timestamp',
      description: 'Whether to start the name with the current UTC time (YYYYMMDDHHMMSS_).',
      kind: 'boolean',
      default: true,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
  ],
  outputs: [{ name: 'contextName', type: 'string', description: 'The generated name.' }],
  async execute(context, input) {
    const now = context.clock.now();
    return { json: { contextName: generateContextNameValue(input.length, input.includeTimestamp !== false, now) } };
  },
});
