/**
 * The tool catalogue as a service without this package's `format: "binary"` extension sees it (the
 * cloud's `read_file` / `write_file` take text only): the argument is not advertised in the tools'
 * inputSchema and is ignored when sent, so a binary write stores the base64 text and a binary read
 * returns text. Lets the tests drive the nodes' file-transfer fallback against the local server
 * (`startLocalServer({ binaryFileFormat: false })`).
 */
import type { ToolCatalogue } from '../sandbox/tool-host';

const FILE_TOOLS = new Set(['read_file', 'write_file']);

function withoutFormat(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties;
  if (typeof properties !== 'object' || properties === null) return schema;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) if (key !== 'format') rest[key] = value;
  return { ...schema, properties: rest };
}

export function withoutBinaryFormat(catalogue: ToolCatalogue): ToolCatalogue {
  return {
    descriptors: () =>
      catalogue.descriptors().map((tool) => (FILE_TOOLS.has(tool.name) ? { ...tool, inputSchema: withoutFormat(tool.inputSchema) } : tool)),
    call: (name, args, ctx, signal) => {
      if (!FILE_TOOLS.has(name)) return catalogue.call(name, args, ctx, signal);
      let value: unknown = args;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          return catalogue.call(name, args, ctx, signal);
        }
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return catalogue.call(name, args, ctx, signal);
      const plain: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) if (key !== 'format') plain[key] = entry;
      return catalogue.call(name, plain, ctx, signal);
    },
  };
}
