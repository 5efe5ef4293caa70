/**
 * Parsing of the `run_code` answer (docs/protocol.md §5.3): the code-interpreter JSON
 * `{result:[<JSON string per item>], stdout:[..], stderr:[..], executionError, execution_count?,
 * execution_time?}`, the Python SDK's legacy `{logs, results, error}` shape, or plain text.
 * Images (PNG, JPEG, SVG) become binary outputs that the result items reference by key.
 */
import type { BinaryOutput } from './types';
import { isBase64 } from './base64';

export interface CodeResultItem {
  mimeTypes: string[];
  isMainResult: boolean;
  text?: string;
  html?: string;
  markdown?: string;
  json?: unknown;
  svg?: string;
  latex?: string;
  /** Vega / Vega-Lite chart specs, keyed by their MIME type. */
  charts?: Record<string, unknown>;
  /** Key of the binary output (n8n binary property, Node-RED msg.payload property) holding the image. */
  imageKey?: string;
}

export interface ParsedCodeRun {
  result: string;
  results: CodeResultItem[];
  stdout: string;
  stderr: string;
  executionError: string;
  success: boolean;
  executionCount?: number;
  executionTime?: number;
  images: BinaryOutput[];
}

/** Raster images arrive base64-encoded, SVG as its XML text; the first one an item has is its file. */
const IMAGE_TYPES: ReadonlyArray<{ mime: string; extension: string; encoding: 'base64' | 'text' }> = [
  { mime: 'image/png', extension: 'png', encoding: 'base64' },
  { mime: 'image/jpeg', extension: 'jpg', encoding: 'base64' },
  { mime: 'image/svg+xml', extension: 'svg', encoding: 'text' },
];

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Items arrive as JSON strings (cloud, local server); objects are accepted as well. */
function itemRecord(item: unknown): Record<string, unknown> {
  if (typeof item === 'string') {
    try {
      const parsed: unknown = JSON.parse(item);
      return asObject(parsed) ?? { 'text/plain': item };
    } catch {
      return { 'text/plain': item };
    }
  }
  return asObject(item) ?? { 'text/plain': JSON.stringify(item) };
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((part) => typeof part === 'string')) return value.join('');
  return JSON.stringify(value);
}

function joinStream(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
  return '';
}

function decodeImage(value: unknown): Buffer | undefined {
  const text = textOf(value);
  if (!text) return undefined;
  const compact = text.replace(/\s+/g, '');
  if (!isBase64(compact)) return undefined;
  const data = Buffer.from(compact, 'base64');
  return data.length > 0 ? data : undefined;
}

function svgFile(value: unknown): Buffer | undefined {
  const text = textOf(value);
  return text !== undefined && text.includes('<svg') ? Buffer.from(text, 'utf8') : undefined;
}

class ItemBuilder {
  readonly images: BinaryOutput[] = [];

  build(raw: Record<string, unknown>, index: number): CodeResultItem {
    const item: CodeResultItem = {
      mimeTypes: Object.keys(raw).filter((key) => key.includes('/')),
      isMainResult: raw.isMainResult === true || raw.is_main_result === true,
    };
    const text = textOf(raw['text/plain'] ?? raw.text);
    if (text !== undefined) item.text = text;
    const html = textOf(raw['text/html'] ?? raw.html);
    if (html !== undefined) item.html = html;
    const markdown = textOf(raw['text/markdown'] ?? raw.markdown);
    if (markdown !== undefined) item.markdown = markdown;
    const svg = textOf(raw['image/svg+xml'] ?? raw.svg);
    if (svg !== undefined) item.svg = svg;
    const latex = textOf(raw['text/latex'] ?? raw.latex);
    if (latex !== undefined) item.latex = latex;
    if (raw['application/json'] !== undefined) item.json = raw['application/json'];
    const charts = Object.entries(raw).filter(([key]) => key.startsWith('application/vnd.vega'));
    if (charts.length > 0) item.charts = Object.fromEntries(charts);
    for (const { mime, extension, encoding } of IMAGE_TYPES) {
      const data = encoding === 'base64' ? decodeImage(raw[mime]) : svgFile(raw[mime]);
      if (!data) continue;
      const key = this.images.length === 0 ? 'image' : `image_${this.images.length}`;
      this.images.push({ key, data, mimeType: mime, fileName: `result-${index}.${extension}` });
      item.imageKey = key;
      break;
    }
    return item;
  }
}

function plain(text: string): ParsedCodeRun {
  return { result: text, results: [], stdout: '', stderr: '', executionError: '', success: true, images: [] };
}

function finite(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** The legacy Python-SDK error object `{name, value, traceback}` as one line of text. */
function legacyError(error: unknown): string {
  const record = asObject(error);
  if (!record) return typeof error === 'string' ? error : '';
  const head = [record.name, record.value].filter((part) => typeof part === 'string' && part !== '').join(': ');
  const traceback = textOf(record.traceback);
  return [head, traceback].filter(Boolean).join('\n');
}

/** Parses the answer text; `failed` is the call's `isError` (then success is forced to false). */
export function parseRunCodeText(text: string, failed: boolean): ParsedCodeRun {
  let parsed: Record<string, unknown> | undefined;
  if (text.trimStart().startsWith('{')) {
    try {
      parsed = asObject(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
  }
  if (!parsed) return failed ? { ...plain(''), executionError: text, success: false } : plain(text);

  const legacy = parsed.result === undefined && (parsed.logs !== undefined || parsed.results !== undefined);
  const rawItems = legacy ? parsed.results : parsed.result;
  const builder = new ItemBuilder();
  const results = (Array.isArray(rawItems) ? rawItems : rawItems === undefined || rawItems === null ? [] : [rawItems]).map((item, index) =>
    builder.build(itemRecord(item), index),
  );
  const logs = asObject(parsed.logs);
  const stdout = joinStream(legacy ? logs?.stdout : parsed.stdout);
  const stderr = joinStream(legacy ? logs?.stderr : parsed.stderr);
  const executionError = legacy ? legacyError(parsed.error) : textOf(parsed.executionError ?? parsed.error) ?? '';
  const main = results.find((item) => item.isMainResult && item.text !== undefined) ?? results.find((item) => item.text !== undefined);
  const run: ParsedCodeRun = {
    result: main?.text ?? stdout,
    results,
    stdout,
    stderr,
    executionError,
    success: !failed && executionError === '',
    images: builder.images,
  };
  const executionCount = finite(parsed.execution_count ?? parsed.executionCount);
  if (executionCount !== undefined) run.executionCount = executionCount;
  const executionTime = finite(parsed.execution_time ?? parsed.executionTime);
  if (executionTime !== undefined) run.executionTime = executionTime;
  return run;
}
