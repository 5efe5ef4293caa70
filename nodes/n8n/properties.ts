/**
 * Derives n8n node properties from an operation definition. Advanced parameters go under an
 * "Options" collection, the n8n convention; `data` parameters become a text field plus a
 * binary-property switch.
 */
import type { INodeProperties, INodePropertyOptions, NodePropertyTypes } from 'n8n-workflow';
import { offersTemporarySession } from '../core/catalogue/temporary-session';
import { parametersFor, takesSession, type OperationDefinition, type ParameterDefinition } from '../core/catalogue/types';

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
  description: `How many input items run at the same time (1 to ${MAX_CONCURRENCY}). Output items keep the input order. Keep 1 when items depend on each other, such as appending to one file.`,
};
export const SESSION_PARAMETER = 'sessionId';
/** Reads the session that the previous AgentBay node put on the item. */
export const SESSION_ID_EXPRESSION = '={{ $json.session?.sessionId ?? $json.sessionId }}';

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

function description(parameter: ParameterDefinition): string {
  return parameter.kind === 'stringList' ? `${parameter.description} Separate several with commas.` : parameter.description;
}

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
    property.options = parameter.options.map(
      (option): INodePropertyOptions => ({ name: option.name, value: option.value, description: option.description }),
    );
  }
  // n8n collections cannot gate options on each other; hidden values are dropped by validation anyway.
  if (parameter.showWhen && !inCollection) property.displayOptions = { show: showConditions(parameter.showWhen) };
  return property;
}

function dataProperties(parameter: ParameterDefinition): INodeProperties[] {
  const gate = showConditions(parameter.showWhen);
  return [
    {
      displayName: `${parameter.displayName} From Binary`,
      name: binarySwitchName(parameter),
      type: 'boolean',
      default: false,
      description: 'Whether to take the content from a binary property of the input item instead of text',
      ...(parameter.showWhen ? { displayOptions: { show: gate } } : {}),
    },
    {
      ...toN8nProperty(parameter, false),
      typeOptions: { rows: 6 },
      displayOptions: { show: { ...gate, [binarySwitchName(parameter)]: [false] } },
    },
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
}

export function toN8nProperties(operation: OperationDefinition): INodeProperties[] {
  const properties: INodeProperties[] = [];
  if (takesSession(operation)) {
    properties.push({
      displayName: 'Session ID',
      name: SESSION_PARAMETER,
      type: 'string',
      default: SESSION_ID_EXPRESSION,
      // Empty is valid when the node can use a temporary session instead.
      required: operation.session === 'required' && !offersTemporarySession(operation),
      description: offersTemporarySession(operation)
        ? 'The session to work on. By default the session the previous AgentBay node put on the item (its "session" field). When empty, If No Session decides.'
        : 'The session to work on. By default the session the previous AgentBay node put on the item (its "session" field).',
    });
  }
  const advanced: INodeProperties[] = [];
  for (const parameter of parametersFor(operation, 'n8n')) {
    if (parameter.kind === 'data') properties.push(...dataProperties(parameter));
    else if (parameter.advanced) advanced.push(toN8nProperty(parameter, true));
    else properties.push(toN8nProperty(parameter, false));
  }
  properties.push({
    displayName: 'Options',
    name: OPTIONS_COLLECTION,
    type: 'collection',
    placeholder: 'Add option',
    default: {},
    options: [...advanced, CONCURRENCY_PROPERTY],
  });
  return properties;
}
