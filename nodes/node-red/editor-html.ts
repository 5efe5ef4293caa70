/**
 * Renders the Node-RED editor file (form, defaults, help) of an operation from its definition.
 * Runs at build time; the output is the `<type>.html` Node-RED loads beside `<type>.js`.
 */
import { connectionFields } from '../core/connection';
import { NODE_RED_CONFIG_TYPE, nodeRedLabel, nodeRedType, PALETTE_CATEGORY } from '../core/catalogue/naming';
import { parametersFor, takesContext, takesSession, type OperationDefinition, type ParameterDefinition } from '../core/catalogue/types';
import { LITERAL_VALIDATOR_SOURCE, literalRule, type LiteralRule } from './editor-validation';
import {
  CONTEXT_PROPERTY,
  CONTEXT_SOURCE,
  defaultTypedInput,
  isMultiline,
  OPTION_TYPE,
  SESSION_SOURCE,
  SESSION_TYPES,
  TEXT_TYPE,
  typedInputTypes,
} from './typed-inputs';

export const NODE_COLOR = '#FFB86C';
export const ICON_FILE = 'agentbay.svg';

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JSON that is safe inside a <script> element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

interface EditorField {
  name: string;
  label: string;
  types: Array<string | Record<string, unknown>>;
  multiline: boolean;
  /** Filled in when a saved node lacks the property (flows made before it existed). */
  fallback?: { type: string; value: string };
  showWhen?: Record<string, readonly (string | number | boolean)[]>;
  /** The config node's picker list (picker-endpoint.ts) whose entries the `str` type suggests. */
  picker?: 'sessions' | 'images' | 'mcp-tools';
}

/**
 * Suggestions for a `str` field from the connection node's admin endpoint (sessions, images, the MCP
 * tools of the session given as a literal ID). Nothing to suggest, a connection not yet deployed or a
 * failed call: no suggestions, the field stays free text.
 */
const PICKER_SCRIPT = `
  function pickerType(list) {
    return { value: 'str', label: 'string', icon: 'red/images/typedInput/az.svg', autoComplete: function (value, done) {
      var server = $('#node-input-server').val();
      if (!server || server === '_ADD_') return done([]);
      var query = 'filter=' + encodeURIComponent(list === 'mcp-tools' ? '' : value || '');
      if (list === 'mcp-tools') {
        var session = $('#node-input-session');
        var sessionId = session.length && session.typedInput('type') === 'str' ? session.typedInput('value') : '';
        query += '&sessionId=' + encodeURIComponent(sessionId);
      }
      $.getJSON('${NODE_RED_CONFIG_TYPE}/' + encodeURIComponent(server) + '/' + list + '?' + query)
        .done(function (answer) {
          var needle = String(value || '').toLowerCase();
          done((answer.choices || []).map(function (choice) { return choice.value; })
            .filter(function (choice) { return choice.toLowerCase().indexOf(needle) !== -1; }));
        })
        .fail(function () { done([]); });
    } };
  }`;

function editorField(parameter: ParameterDefinition): EditorField {
  const types = typedInputTypes(parameter).map((type) => {
    if (type === OPTION_TYPE) {
      return { value: OPTION_TYPE, options: (parameter.options ?? []).map((option) => ({ value: option.value, label: option.name })) };
    }
    if (type === TEXT_TYPE) return { value: TEXT_TYPE, label: 'text', icon: 'red/images/typedInput/az.svg', hasValue: false };
    return type;
  });
  return {
    ...(parameter.picker ? { picker: parameter.picker === 'image' ? ('images' as const) : ('mcp-tools' as const) } : {}),
    name: parameter.name,
    label: parameter.displayName,
    types,
    multiline: isMultiline(parameter),
    fallback: defaultTypedInput(parameter),
    showWhen: parameter.showWhen,
  };
}

/** A label's text, translated by Node-RED's editor from the node's message catalogue (locales.ts). */
const labelText = (type: string, id: string, label: string): string => `<span data-i18n="${type}.label.${id}">${escapeHtml(label)}</span>`;

function formRow(type: string, id: string, label: string, icon: string, hint?: string): string {
  return [
    '<div class="form-row">',
    `  <label for="node-input-${id}"><i class="fa ${icon}"></i> ${labelText(type, id, label)}</label>`,
    `  <input type="text" id="node-input-${id}" style="width:70%">`,
    `  <input type="hidden" id="node-input-${id}Type">`,
    hint ? `  <div class="form-tips" style="margin-left:105px">${escapeHtml(hint)}</div>` : '',
    '</div>',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A multi-line field: the TypedInput (`<id>-source`) only picks the source; the stored property
 * is the textarea `node-input-<id>`, which keeps newlines. oneditsave copies a msg/flow/... path
 * from the TypedInput into the textarea.
 */
function multilineFormRow(type: string, id: string, label: string, hint: string): string {
  return [
    '<div class="form-row">',
    `  <label for="node-input-${id}-source"><i class="fa fa-file-text-o"></i> ${labelText(type, id, label)}</label>`,
    `  <input type="text" id="node-input-${id}-source" style="width:70%">`,
    `  <input type="hidden" id="node-input-${id}Type">`,
    `  <textarea id="node-input-${id}" rows="8" style="width:100%;margin-top:6px;font-family:monospace;white-space:pre" spellcheck="false"></textarea>`,
    `  <div class="form-tips">${escapeHtml(hint)}</div>`,
    '</div>',
  ].join('\n');
}

function typeName(parameter: ParameterDefinition): string {
  switch (parameter.kind) {
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'json':
      return 'any';
    case 'stringMap':
      return 'object';
    case 'stringList':
      return 'string[]';
    case 'data':
      return 'string | buffer';
    default:
      return 'string';
  }
}

/** Translates a fixed English text of the editor (a help sentence, a catalogue text); English as is by default. */
export type EditorTranslate = (english: string) => string;
const inEnglish: EditorTranslate = (english) => english;

/** The help's fixed sentences, one list so the locales test can ask for each one's translation. */
export const HELP_TEXTS = {
  inputs: 'Inputs',
  properties: 'Properties',
  outputs: 'Outputs',
  details: 'Details',
  errors: 'Errors',
  sessionInput:
    'The session to work on, as Create Session put it on the message. The node can read it from elsewhere (flow, global, env or a fixed ID) instead.',
  anyMessage: 'Any message triggers the node.',
  contextInput:
    'The context to work on, as Get Context put it on the message. The node can read it from elsewhere, or take a context ID or name.',
  readFrom: 'Read from {source} by default.',
  expected: 'Expected: {expected}.',
  everyProperty: 'Every property can take its value from the message, flow or global context, or an environment variable.',
  payloadOutput: 'The result, with the fields listed below.',
  sessionRemoved: 'Removed, since the deleted session no longer exists.',
  sessionOutput: 'The session, for the nodes that follow.',
  contextOutput: 'The context, for the nodes that follow (removed when this node deleted it).',
  payloadFields: 'Fields of {payload}:',
  passThrough: 'Other message properties pass through unchanged.',
  errorsText:
    'A failure shows a red status and is reported with the message to Catch nodes; the message keeps {session}, so an error path can still delete the session.',
  configSummary: 'Connection to AgentBay shared by all AgentBay nodes: the API key, where the API runs, and an optional proxy.',
  configCredentials: 'The API key and the proxy are stored as Node-RED credentials: they are kept out of the flow file and never exported.',
  configOffline:
    'To build flows offline, start the local server ({command}), choose {customEndpoint} and give the URL and key it prints.',
} as const;

/** A help sentence with its `{name}` placeholders filled in (code and names stay as they are). */
function helpText(t: EditorTranslate, english: string, values: Record<string, string> = {}): string {
  return t(english).replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Sentences in a row: a space after English ones, none after Chinese full-width punctuation. */
const sentences = (parts: string[]): string => parts.reduce((text, part) => (text === '' ? part : /[。！？）]$/.test(text) ? text + part : `${text} ${part}`), '');

/**
 * Node-RED's markdown help: `: name (type) : text` lines are message properties (the parser splits
 * at colons, so their text must have none); node properties and result fields are plain lists.
 * `t` gives the texts in the help's language (the locales' help files use the Chinese table).
 */
function helpMarkdown(operation: OperationDefinition, t: EditorTranslate): string {
  const h = (english: string, values?: Record<string, string>): string => helpText(t, english, values);
  const lines: string[] = [t(operation.summary), '', `### ${h(HELP_TEXTS.inputs)}`, ''];
  if (takesSession(operation)) {
    lines.push(`: agentbay.session (object | string) : ${h(HELP_TEXTS.sessionInput)}`);
  } else {
    lines.push(h(HELP_TEXTS.anyMessage));
  }
  if (takesContext(operation)) {
    lines.push(`: agentbay.context (object | string) : ${h(HELP_TEXTS.contextInput)}`);
  }
  if (parametersFor(operation, 'node-red').length > 0) {
    lines.push('', `### ${h(HELP_TEXTS.properties)}`, '');
    for (const parameter of parametersFor(operation, 'node-red')) {
      const source = defaultTypedInput(parameter);
      const where = source.type === 'msg' ? [h(HELP_TEXTS.readFrom, { source: `\`msg.${source.value}\`` })] : [];
      const text = sentences([t(parameter.description), ...where, h(HELP_TEXTS.expected, { expected: t(parameter.expected) })]);
      lines.push(`- **${t(parameter.displayName)}** (${typeName(parameter)}): ${text}`);
    }
    lines.push('', h(HELP_TEXTS.everyProperty));
  }
  lines.push('', `### ${h(HELP_TEXTS.outputs)}`, '', `: payload (object) : ${h(HELP_TEXTS.payloadOutput)}`);
  lines.push(
    operation.id === 'deleteSession'
      ? `: agentbay.session (undefined) : ${h(HELP_TEXTS.sessionRemoved)}`
      : `: agentbay.session (object) : ${h(HELP_TEXTS.sessionOutput)}`,
  );
  if (takesContext(operation)) {
    lines.push(`: agentbay.context (object) : ${h(HELP_TEXTS.contextOutput)}`);
  }
  lines.push('', h(HELP_TEXTS.payloadFields, { payload: '`msg.payload`' }), '');
  for (const field of operation.outputs) lines.push(`- \`${field.name}\` (${field.type}): ${t(field.description)}`);
  lines.push('', h(HELP_TEXTS.passThrough), '', `### ${h(HELP_TEXTS.details)}`, '', t(operation.details), '');
  lines.push(`### ${h(HELP_TEXTS.errors)}`, '', h(HELP_TEXTS.errorsText, { session: '`msg.agentbay.session`' }));
  return lines.join('\n');
}

/** The help element Node-RED shows in the sidebar: in the editor file (English) or a locale's help file. */
export function renderOperationHelp(operation: OperationDefinition, t: EditorTranslate = inEnglish): string {
  return `<script type="text/markdown" data-help-name="${nodeRedType(operation)}">\n${helpMarkdown(operation, t)}\n</script>`;
}

export function renderOperationHtml(operation: OperationDefinition): string {
  const type = nodeRedType(operation);
  const fields = parametersFor(operation, 'node-red').map(editorField);
  const defaults: Record<string, unknown> = {
    name: { value: '' },
    server: { value: '', type: NODE_RED_CONFIG_TYPE, required: !operation.offline },
  };
  if (takesSession(operation)) {
    defaults.session = { value: SESSION_SOURCE.value };
    defaults.sessionType = { value: SESSION_SOURCE.type };
  }
  if (takesContext(operation)) {
    defaults[CONTEXT_PROPERTY] = { value: CONTEXT_SOURCE.value };
    defaults[`${CONTEXT_PROPERTY}Type`] = { value: CONTEXT_SOURCE.type };
  }
  const rules: Record<string, LiteralRule> = {};
  for (const parameter of parametersFor(operation, 'node-red')) {
    const source = defaultTypedInput(parameter);
    defaults[parameter.name] = { value: source.value };
    defaults[`${parameter.name}Type`] = { value: source.type };
    rules[parameter.name] = literalRule(parameter);
  }
  const sessionField: EditorField | undefined =
    takesSession(operation) ? { name: 'session', label: 'Session', types: SESSION_TYPES, multiline: false, picker: 'sessions' } : undefined;
  const contextField: EditorField | undefined = takesContext(operation)
    ? { name: CONTEXT_PROPERTY, label: 'Context', types: SESSION_TYPES, multiline: false }
    : undefined;
  const leadingFields = [sessionField, contextField].filter((field): field is EditorField => field !== undefined);

  const rows = [
    formRow(type, 'server', 'Connection', 'fa-server').replace(/\n {2}<input type="hidden"[^\n]*/, ''),
    sessionField ? formRow(type, 'session', 'Session', 'fa-cube', 'Default: the session on msg.agentbay.session') : '',
    contextField ? formRow(type, CONTEXT_PROPERTY, 'Context', 'fa-archive', 'Default: the context on msg.agentbay.context, or a context ID or name') : '',
    ...parametersFor(operation, 'node-red').map((parameter) =>
      isMultiline(parameter)
        ? multilineFormRow(type, parameter.name, parameter.displayName, parameter.description)
        : formRow(type, parameter.name, parameter.displayName, 'fa-sliders', parameter.description),
    ),
    `<div class="form-row">\n  <label for="node-input-name"><i class="fa fa-tag"></i> ${labelText(type, 'name', 'Name')}</label>\n  <input type="text" id="node-input-name" placeholder="Name">\n</div>`,
  ].filter(Boolean);

  const script = `
(function () {
  var fields = ${scriptJson([...leadingFields, ...fields])};
  var TEXT = ${scriptJson(TEXT_TYPE)};
  var defaults = ${scriptJson(defaults)};
  var rules = ${scriptJson(rules)};${LITERAL_VALIDATOR_SOURCE}
  Object.keys(rules).forEach(function (name) { defaults[name].validate = literalValidator(name, rules[name]); });
  function input(field) {
    return $('#node-input-' + field.name + (field.multiline ? '-source' : ''));
  }${PICKER_SCRIPT}
  function typesOf(field) {
    if (!field.picker) return field.types;
    return field.types.map(function (type) { return type === 'str' ? pickerType(field.picker) : type; });
  }
  function prepareMultiline(field) {
    var area = $('#node-input-' + field.name);
    var typeField = $('#node-input-' + field.name + 'Type');
    // A node saved without this property starts from the default; a plain string is edited as text.
    if (!typeField.val()) {
      typeField.val(field.fallback.type);
      if (!area.val()) area.val(field.fallback.value);
    }
    if (typeField.val() === 'str') typeField.val(TEXT);
    var source = input(field);
    if (typeField.val() !== TEXT) source.val(area.val());
    source.typedInput({ types: field.types, typeField: typeField });
    function toggle() { area.toggle(source.typedInput('type') === TEXT); }
    source.on('change', toggle);
    toggle();
  }
  function refresh() {
    fields.forEach(function (field) {
      if (!field.showWhen) return;
      var shown = Object.keys(field.showWhen).every(function (other) {
        var el = input(fields.filter(function (f) { return f.name === other; })[0] || { name: other });
        var v = el.typedInput('value');
        var t = el.typedInput('type');
        if (t === 'bool') v = v === 'true';
        else if (t === 'num') v = Number(v);
        else if (t !== '${OPTION_TYPE}' && t !== 'str') return true;
        return field.showWhen[other].indexOf(v) !== -1;
      });
      input(field).closest('.form-row').toggle(shown);
    });
  }
  // A message from the node's catalogue (locales/<lang>/${type}.json), the English text if it is not there.
  function translated(node, key, english) {
    var text = node._ ? node._(${scriptJson(`${type}.`)} + key) : english;
    return text && text.indexOf(${scriptJson(`${type}.`)}) !== 0 ? text : english;
  }
  RED.nodes.registerType(${scriptJson(type)}, {
    category: ${scriptJson(PALETTE_CATEGORY)},
    color: ${scriptJson(NODE_COLOR)},
    defaults: defaults,
    inputs: 1,
    outputs: 1,
    icon: ${scriptJson(ICON_FILE)},
    paletteLabel: function () { return translated(this, 'paletteLabel', ${scriptJson(nodeRedLabel(operation))}); },
    label: function () { return this.name || translated(this, 'paletteLabel', ${scriptJson(nodeRedLabel(operation))}); },
    outputLabels: ['result'],
    oneditprepare: function () {
      fields.forEach(function (field) {
        if (field.multiline) return prepareMultiline(field);
        if (field.fallback && $('#node-input-' + field.name).val() === '' && !$('#node-input-' + field.name + 'Type').val()) {
          $('#node-input-' + field.name).val(field.fallback.value);
          $('#node-input-' + field.name + 'Type').val(field.fallback.type);
        }
        input(field).typedInput({ types: typesOf(field), typeField: '#node-input-' + field.name + 'Type' }).on('change', refresh);
      });
      refresh();
    },
    oneditsave: function () {
      fields.forEach(function (field) {
        if (!field.multiline) return;
        var source = input(field);
        if (source.typedInput('type') !== TEXT) $('#node-input-' + field.name).val(source.typedInput('value'));
      });
    }
  });
})();`;

  return [
    `<script type="text/javascript">${script}\n</script>`,
    `<script type="text/html" data-template-name="${type}">\n${rows.join('\n')}\n</script>`,
    renderOperationHelp(operation),
    '',
  ].join('\n');
}

export function renderConfigHtml(): string {
  const plain = connectionFields.filter((field) => !field.secret);
  const secret = connectionFields.filter((field) => field.secret);
  const defaults: Record<string, unknown> = { name: { value: '' } };
  for (const field of plain) defaults[field.name] = { value: field.default };
  const credentials: Record<string, unknown> = {};
  for (const field of secret) credentials[field.name] = { type: 'password' };
  const input = (field: ParameterDefinition): string => {
    if (field.options) {
      const options = field.options.map((option) => `<option value="${escapeHtml(option.value)}">${escapeHtml(option.name)}</option>`);
      return `<select id="node-config-input-${field.name}" style="width:70%">${options.join('')}</select>`;
    }
    return `<input type="${field.secret ? 'password' : 'text'}" id="node-config-input-${field.name}" style="width:70%" placeholder="${escapeHtml(field.placeholder ?? '')}">`;
  };
  const rows = connectionFields.map(
    (field) =>
      `<div class="form-row" data-field="${field.name}">\n  <label for="node-config-input-${field.name}"><i class="fa fa-cog"></i> ${labelText(NODE_RED_CONFIG_TYPE, field.name, field.displayName)}</label>\n  ${input(field)}\n  <div class="form-tips" style="margin-left:105px">${escapeHtml(field.description)}</div>\n</div>`,
  );
  rows.push('<div class="form-row">\n  <label for="node-config-input-name"><i class="fa fa-tag"></i> Name</label>\n  <input type="text" id="node-config-input-name" placeholder="Name">\n</div>');
  const script = `
RED.nodes.registerType(${scriptJson(NODE_RED_CONFIG_TYPE)}, {
  category: 'config',
  defaults: ${scriptJson(defaults)},
  credentials: ${scriptJson(credentials)},
  label: function () { return this.name || (this.region === 'custom' ? this.customEndpoint : this.region) || 'AgentBay'; },
  oneditprepare: function () {
    function refresh() { $('[data-field="customEndpoint"]').toggle($('#node-config-input-region').val() === 'custom'); }
    $('#node-config-input-region').on('change', refresh);
    refresh();
  }
});`;
  return [
    `<script type="text/javascript">${script}\n</script>`,
    `<script type="text/html" data-template-name="${NODE_RED_CONFIG_TYPE}">\n${rows.join('\n')}\n</script>`,
    renderConfigHelp(),
    '',
  ].join('\n');
}

/** The connection node's help, in the editor file (English) or a locale's help file. */
export function renderConfigHelp(t: EditorTranslate = inEnglish): string {
  const help = [
    helpText(t, HELP_TEXTS.configSummary),
    '',
    `### ${helpText(t, HELP_TEXTS.details)}`,
    '',
    ...connectionFields.map((field) => `- **${t(field.displayName)}**: ${t(field.description)}`),
    '',
    helpText(t, HELP_TEXTS.configCredentials),
    helpText(t, HELP_TEXTS.configOffline, { command: '`npx agentbay-local`', customEndpoint: `**${t('Custom Endpoint')}**` }),
  ].join('\n');
  return `<script type="text/markdown" data-help-name="${NODE_RED_CONFIG_TYPE}">\n${help}\n</script>`;
}
