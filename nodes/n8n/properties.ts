/**
 * Derives n8n node properties from an operation definition. Advanced parameters go under an
 * "Options" collection, the n8n convention; `data` parameters become a text field plus a
 * binary-property switch.
 */
import type { INodeProperties, INodePropertyOptions, NodePropertyTypes } from 'n8n-workflow';
import { n8nNodeName } from '../core/catalogue/naming';
import { IF_NO_SESSION, offersTemporarySession, USE_TEMPORARY } from '../core/catalogue/temporary-session';
import { parametersFor, takesContext, takesSession, type OperationDefinition, type ParameterDefinition } from '../core/catalogue/types';

export const OPTIONS_COLLECTION = 'options';
/** The Options entry every node has: how many input items run at once. */
export const CONCURRENCY_OPTION = 'concurrency';
/**
 * One at a time by default: items may depend on each other's side effects (appending to one file,
 * a directory made by an earlier item), and a service account has session and rate quotas. Users
 * raise it for independent items; 50 in flight is already past what one n8n process gains from.
 */
export const DEFAULT_CONCURRENCY = 1;
export const MAX_CONCURRENCY = 50;

export const CONCURRENCY_PROPERTY: INodeProperties = {
  displayName: 'Concurrency',
  name: CONCURRENCY_OPTION,
  type: 'number',
  default: DEFAULT_CONCURRENCY,
  typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
  description: `How many input items run at the same time (1 to ${MAX_CONCURRENCY}). Output items keep the input order. Keep 1 when items depend on each other, such as appending to one file; 10 to 20 suits independent items (each its own session, command or read).`,
};
export const SESSION_PARAMETER = 'sessionId';
/** Reads the session that the previous AgentBay node put on the item. */
export const SESSION_ID_EXPRESSION = '={{ $json.session?.sessionId ?? $json.sessionId }}';
export const CONTEXT_PARAMETER = 'contextRef';
/** Reads the context that the previous AgentBay node put on the item. */
export const CONTEXT_ID_EXPRESSION = '={{ $json.context?.contextId }}';

/**
 * Used as an AI agent's tool (n8n's `<name>Tool` variant, `@tool` in display options), a node cannot read
 * `$json`: its input is what the model passes. There the node shows tool twins of its key fields, whose
 * defaults let the model fill them with `$fromAI`: the session (empty: a temporary one, on the nodes that
 * offer it) and every required text field (path, command, code, content). If No Session defaults to a
 * temporary session there. n8n versions without `@tool` ignore the twins and show the ordinary fields.
 */
const ONLY_AS_TOOL = { show: { '@tool': [true] } };
const NOT_AS_TOOL = { hide: { '@tool': [true] } };

/**
 * n8n decides `@tool` by the node type's name ending in "Tool", so a node whose own name does (Call MCP
 * Tool: `agentBayCallMcpTool`, kept for saved workflows) would show the tool twins as an ordinary node too.
 * It keeps the ordinary fields in both modes; as a tool, its fields are handed to the model in the editor.
 */
export function takesToolTwins(operation: OperationDefinition): boolean {
  return operation.usableAsTool !== false && !n8nNodeName(operation).endsWith('Tool');
}

/** `$fromAI` keys are 1–64 of [A-Za-z0-9_-]; parameter names are camelCase identifiers. */
export function fromAi(name: string, description: string, type: 'string' | 'number' | 'boolean' = 'string'): string {
  const text = description.replace(/[`\\$]/g, '').replace(/\s+/g, ' ').trim();
  return `={{ $fromAI('${name}', \`${text}\`, '${type}') }}`;
}

/** Whether a parameter gets a model-filled twin in tool mode. */
function filledByModel(parameter: ParameterDefinition): boolean {
  return !parameter.advanced && parameter.required === true && ['string', 'text', 'code', 'data'].includes(parameter.kind);
}

/** Shows `property` except in tool mode, and adds its tool twin with `toolDefault`. */
function withToolTwin(property: INodeProperties, toolDefault: INodeProperties['default']): INodeProperties[] {
  const show = property.displayOptions?.show;
  return [
    { ...property, displayOptions: { ...(show ? { show } : {}), ...NOT_AS_TOOL } },
    { ...property, default: toolDefault, displayOptions: { show: { ...(show ?? {}), ...ONLY_AS_TOOL.show } } },
  ];
}

/**
 * Node version 2 (ARCHITECTURE.md, "Breaking changes: version 2 of a node's parameters"): Session became a
 * resource locator (from a list of sessions, by ID, or an expression) and picker fields lists (Image ID a
 * resource locator, Tool Name load options). The stored value's shape changes (`{ __rl, mode, value }`), so
 * saved version-1 nodes keep the plain text fields; new nodes are version 2.
 */
export const PICKER_VERSION = 2;
export const SEARCH_SESSIONS = 'searchSessions';
export const SEARCH_IMAGES = 'searchImages';
export const LOAD_MCP_TOOL_NAMES = 'mcpToolNames';

/** Whether the operation has fields that differ in version 2 (its description then lists both versions). */
export function hasPickerVersion(operation: OperationDefinition): boolean {
  return takesSession(operation) || parametersFor(operation, 'n8n').some((parameter) => parameter.picker && !parameter.advanced);
}

function forVersions(property: INodeProperties, versions: number[]): INodeProperties {
  const show = property.displayOptions?.show ?? {};
  return { ...property, displayOptions: { ...property.displayOptions, show: { ...show, '@version': versions } } };
}

const locatorValue = (value: string): INodeProperties['default'] => ({ __rl: true, mode: 'id', value });

function locator(property: INodeProperties, searchListMethod: string, placeholder: string, value: string): INodeProperties {
  return {
    ...property,
    type: 'resourceLocator',
    default: locatorValue(value),
    modes: [
      { displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
      { displayName: 'By ID', name: 'id', type: 'string', placeholder },
    ],
  };
}

/** A value read from n8n: a resource locator's `value`, anything else as it is. */
export function unwrapLocator(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && (value as { __rl?: unknown }).__rl === true) return (value as { value?: unknown }).value;
  return value;
}

export const binarySwitchName = (parameter: ParameterDefinition): string => `${parameter.name}IsBinary`;
export const binaryPropertyName = (parameter: ParameterDefinition): string => `${parameter.name}BinaryProperty`;

const N8N_TYPES: Record<ParameterDefinition['kind'], NodePropertyTypes> = {
  string: 'string',
  text: 'string',
  code: 'string',
  number: 'number',
  boolean: 'boolean',
  options: 'options',
  json: 'json',
  stringMap: 'json',
  stringList: 'string',
  data: 'string',
};

function n8nDefault(parameter: ParameterDefinition): INodeProperties['default'] {
  switch (parameter.kind) {
    case 'json':
    case 'stringMap':
      return JSON.stringify(parameter.default, null, 2);
    case 'stringList':
      return Array.isArray(parameter.default) ? parameter.default.join(', ') : String(parameter.default ?? '');
    case 'data':
      // The previous step's text output, the n8n twin of Node-RED taking it from a result in msg.payload.
      return parameter.resultTextField ? `={{ $json.${parameter.resultTextField} }}` : (parameter.default as string);
    default:
      if (parameter.previousResultField) return `={{ $json.${parameter.previousResultField} ?? '' }}`;
      return parameter.default as INodeProperties['default'];
  }
}

/** A mutable copy of a definition's `showWhen`, in n8n's displayOptions.show form. */
function showConditions(showWhen: ParameterDefinition['showWhen']): Record<string, Array<string | number | boolean>> {
  const show: Record<string, Array<string | number | boolean>> = {};
  for (const [name, values] of Object.entries(showWhen ?? {})) show[name] = [...values];
  return show;
}

/** The schema's bounds as n8n number-field options, so the editor refuses an out-of-range value. */
function numberBounds(parameter: ParameterDefinition): { minValue?: number; maxValue?: number; numberPrecision?: number } {
  const schema = parameter.schema ?? {};
  const bounds: { minValue?: number; maxValue?: number; numberPrecision?: number } = {};
  if (typeof schema.minimum === 'number') bounds.minValue = schema.minimum;
  if (typeof schema.maximum === 'number') bounds.maxValue = schema.maximum;
  if (schema.type === 'integer') bounds.numberPrecision = 0;
  return bounds;
}

/**
 * A catalogue text in n8n's style: a one-sentence description carries no final period (n8n's
 * `node-param-description-excess-final-period`); longer texts keep theirs.
 */
export function n8nText(text: string): string {
  const single = !text.replace('e.g.', '').includes('. ');
  return single && text.endsWith('.') && !text.endsWith('..') ? text.slice(0, -1) : text;
}

function description(parameter: ParameterDefinition): string {
  return n8nText(parameter.kind === 'stringList' ? `${parameter.description} Separate several with commas.` : parameter.description);
}

/** n8n lists options and collection items alphabetically (its editor convention, checked by its linter). */
const byName = <T extends { name: string }>(items: T[]): T[] => [...items].sort((a, b) => a.name.localeCompare(b.name, 'en'));
const byDisplayName = (items: INodeProperties[]): INodeProperties[] =>
  [...items].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));

export function toN8nProperty(parameter: ParameterDefinition, inCollection: boolean): INodeProperties {
  const property: INodeProperties = {
    displayName: parameter.displayName,
    name: parameter.name,
    type: N8N_TYPES[parameter.kind],
    default: n8nDefault(parameter),
    description: description(parameter),
  };
  if (parameter.required && !inCollection) property.required = true;
  if (parameter.placeholder) property.placeholder = parameter.placeholder;
  if (parameter.secret) property.typeOptions = { password: true };
  if (parameter.kind === 'text') property.typeOptions = { rows: 4 };
  if (parameter.kind === 'code') property.typeOptions = { rows: 10 };
  if (parameter.kind === 'number') {
    const bounds = numberBounds(parameter);
    if (Object.keys(bounds).length > 0) property.typeOptions = { ...property.typeOptions, ...bounds };
  }
  if (parameter.options) {
    property.options = byName(
      parameter.options.map(
        (option): INodePropertyOptions => ({
          name: option.name,
          value: option.value,
          ...(option.description === undefined ? {} : { description: n8nText(option.description) }),
        }),
      ),
    );
  }
  // n8n collections cannot gate options on each other; hidden values are dropped by validation anyway.
  if (parameter.showWhen && !inCollection) property.displayOptions = { show: showConditions(parameter.showWhen) };
  return property;
}

/** A picker parameter's version-2 field. */
function pickerProperty(parameter: ParameterDefinition): INodeProperties {
  const property = toN8nProperty(parameter, false);
  if (parameter.picker === 'image') return locator(property, SEARCH_IMAGES, String(parameter.placeholder ?? 'linux_latest'), String(parameter.default ?? ''));
  return {
    ...property,
    displayName: `${parameter.displayName.replace(/ Name$/, '')} Name or ID`,
    type: 'options',
    description: `${n8nText(parameter.description)}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
    typeOptions: { loadOptionsMethod: LOAD_MCP_TOOL_NAMES, loadOptionsDependsOn: [`${SESSION_PARAMETER}.value`] },
  };
}

function dataProperties(parameter: ParameterDefinition, tool: boolean): INodeProperties[] {
  const gate = showConditions(parameter.showWhen);
  const properties: INodeProperties[] = [
    {
      displayName: `${parameter.displayName} From Binary`,
      name: binarySwitchName(parameter),
      type: 'boolean',
      default: false,
      description: 'Whether to take the content from a binary property of the input item instead of text',
      ...(parameter.showWhen ? { displayOptions: { show: gate } } : {}),
    },
    ...(tool ? (property: INodeProperties) => withToolTwin(property, fromAi(parameter.name, parameter.description)) : (property: INodeProperties) => [property])({
      ...toN8nProperty(parameter, false),
      typeOptions: { rows: 6 },
      displayOptions: { show: { ...gate, [binarySwitchName(parameter)]: [false] } },
    }),
    {
      displayName: 'Input Binary Field',
      name: binaryPropertyName(parameter),
      type: 'string',
      default: 'data',
      required: true,
      description: 'Name of the binary property of the input item that holds the content',
      displayOptions: { show: { ...gate, [binarySwitchName(parameter)]: [true] } },
    },
  ];
  // A literal default above (n8n's linter reads it); Upload File takes binary data by default.
  if (parameter.binaryByDefault) properties[0].default = true;
  return properties;
}

/** The collection of a parameter's group, made (at the first member's place) on first use. */
function groupCollection(groups: Map<string, INodeProperties>, properties: INodeProperties[], parameter: ParameterDefinition): INodeProperties {
  const group = parameter.group!;
  let collection = groups.get(group.name);
  if (!collection) {
    collection = {
      displayName: group.displayName,
      name: group.name,
      type: 'collection',
      placeholder: 'Add field',
      default: {},
      options: [],
      ...(parameter.showWhen ? { displayOptions: { show: showConditions(parameter.showWhen) } } : {}),
    };
    groups.set(group.name, collection);
    properties.push(collection);
  }
  return collection;
}

export function toN8nProperties(operation: OperationDefinition): INodeProperties[] {
  const properties: INodeProperties[] = [];
  if (takesSession(operation)) {
    // Empty is valid when the node can use a temporary session instead.
    const temporary = offersTemporarySession(operation);
    const required = operation.session === 'required' && !temporary;
    const session: INodeProperties = {
      displayName: 'Session ID',
      name: SESSION_PARAMETER,
      type: 'string',
      default: SESSION_ID_EXPRESSION,
      ...(required ? { required } : {}),
      description: temporary
        ? 'The session to work on. By default the session the previous AgentBay node put on the item (its "session" field). When empty, If No Session decides.'
        : 'The session to work on. By default the session the previous AgentBay node put on the item (its "session" field).',
    };
    const toolSession = fromAi(
      SESSION_PARAMETER,
      temporary
        ? 'ID of the AgentBay session to work in, as Create Session returned it. Leave empty to work in a new temporary session that is deleted afterwards.'
        : 'ID of the AgentBay session, as Create Session returned it.',
    );
    const sessionV2 = locator({ ...session, displayName: 'Session' }, SEARCH_SESSIONS, 'session-…', SESSION_ID_EXPRESSION);
    const twins = (property: INodeProperties, toolDefault: INodeProperties['default']) =>
      takesToolTwins(operation) ? withToolTwin(property, toolDefault) : [property];
    properties.push(
      ...twins(forVersions(session, [1]), toolSession),
      ...twins(forVersions(sessionV2, [PICKER_VERSION]), locatorValue(toolSession)),
    );
  }
  const tool = takesToolTwins(operation);
  if (takesContext(operation)) {
    const contextProperty: INodeProperties = {
      displayName: 'Context',
      name: CONTEXT_PARAMETER,
      type: 'string',
      default: CONTEXT_ID_EXPRESSION,
      ...(operation.context === 'required' ? { required: true } : {}),
      description:
        'The context to work on: a context ID (SdkCtx-…) or name. By default the context the previous AgentBay node put on the item (its "context" field).',
    };
    const toolContext = fromAi(CONTEXT_PARAMETER, 'ID (SdkCtx-…) or name of the AgentBay context, as Get Context returned it.');
    properties.push(...(tool ? withToolTwin(contextProperty, toolContext) : [contextProperty]));
  }
  const advanced: INodeProperties[] = [];
  const groups = new Map<string, INodeProperties>();
  for (const parameter of parametersFor(operation, 'n8n')) {
    if (parameter.kind === 'data') properties.push(...dataProperties(parameter, tool));
    else if (parameter.group) groupCollection(groups, properties, parameter).options?.push(toN8nProperty(parameter, true));
    else if (parameter.advanced) advanced.push(toN8nProperty(parameter, true));
    else if (parameter.picker) {
      const byModel = tool && filledByModel(parameter);
      const v1 = forVersions(toN8nProperty(parameter, false), [1]);
      const v2 = forVersions(pickerProperty(parameter), [PICKER_VERSION]);
      const toolValue = fromAi(parameter.name, parameter.description);
      properties.push(
        ...(byModel ? withToolTwin(v1, toolValue) : [v1]),
        ...(byModel ? withToolTwin(v2, v2.type === 'resourceLocator' ? locatorValue(toolValue) : toolValue) : [v2]),
      );
    }
    else if (tool && filledByModel(parameter)) properties.push(...withToolTwin(toN8nProperty(parameter, false), fromAi(parameter.name, parameter.description)));
    else if (tool && parameter.name === IF_NO_SESSION) properties.push(...withToolTwin(toN8nProperty(parameter, false), USE_TEMPORARY));
    else properties.push(toN8nProperty(parameter, false));
  }
  // n8n's style: a collection's fields in alphabetical order.
  const label = (option: { name: string; displayName?: string }): string => option.displayName ?? option.name;
  for (const collection of groups.values()) collection.options?.sort((a, b) => label(a).localeCompare(label(b)));
  properties.push({
    displayName: 'Options',
    name: OPTIONS_COLLECTION,
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: byDisplayName([...advanced, CONCURRENCY_PROPERTY]),
  });
  return properties;
}
