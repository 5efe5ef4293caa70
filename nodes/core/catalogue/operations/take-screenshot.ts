import { defineOperation } from '../define';
import { requestIdOutput } from '../common-parameters';
import { AgentBayError } from '../../client/errors';
import { imageSize } from '../image-size';
import { BROWSER_DETAILS_NOTE, callBrowserTool, FIRST_PAGE } from './browser-agent';

/** n8n binary property / Node-RED payload key of the image. */
export const SCREENSHOT_BINARY_KEY = 'data';

const DATA_URL = /^data:(image\/(?:png|jpeg));base64,/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The tool's answer: a data: URL (local server) or bare base64; anything else is not an image this node can return. */
function decodeImage(text: string, requestId: string): Buffer {
  const trimmed = text.trim();
  const match = DATA_URL.exec(trimmed);
  const base64 = match ? trimmed.slice(match[0].length) : trimmed;
  if (base64 === '' || base64.length % 4 === 1 || !BASE64.test(base64)) {
    throw new AgentBayError(`Screenshot failed: the answer is not a base64 image (it starts with ${JSON.stringify(trimmed.slice(0, 40))})`, { code: 'InvalidResponse', requestId });
  }
  return Buffer.from(base64, 'base64');
}

export const takeScreenshot = defineOperation({
  id: 'takeScreenshot',
  displayName: 'Take Screenshot',
  summary: 'Takes a screenshot of the page in the session’s browser, as PNG or JPEG.',
  details: [
    'Calls the browser agent’s `page_use_screenshot` tool, as the SDK’s `browser.agent.screenshot()` does, on the browser’s first page, with `format` added (an extension the local server implements; the cloud may answer in its own format, which this node returns if it is PNG or JPEG base64).',
    BROWSER_DETAILS_NOTE,
    'The image is returned as a file: in n8n the binary property `data`, in Node-RED a Buffer at `msg.payload.data`; `width`, `height` and `size` describe it, so an AI agent using this node as a tool gets a short answer. **Full Page** captures the whole scrollable page (up to 10000 pixels high on the local server) instead of the viewport.',
  ].join('\n\n'),
  session: 'required',
  usableAsTool: true,
  parameters: [
    {
      name: 'format',
      displayName: 'Format',
      description: 'Image format.',
      kind: 'options',
      default: 'png',
      options: [
        { name: 'PNG', value: 'png', description: 'Lossless' },
        { name: 'JPEG', value: 'jpeg', description: 'Smaller; see Quality' },
      ],
      schema: { type: 'string', enum: ['png', 'jpeg'] },
      expected: 'png or jpeg',
    },
    {
      name: 'fullPage',
      displayName: 'Full Page',
      description: 'Whether to capture the whole scrollable page instead of the visible viewport.',
      kind: 'boolean',
      default: false,
      schema: { type: 'boolean' },
      expected: 'true or false',
    },
    {
      name: 'quality',
      displayName: 'Quality',
      description: 'JPEG quality from 0 to 100.',
      kind: 'number',
      default: 80,
      showWhen: { format: ['jpeg'] },
      schema: { type: 'integer', minimum: 0, maximum: 100 },
      expected: 'an integer from 0 to 100',
    },
  ],
  outputs: [
    { name: 'data', type: 'binary', description: 'The image: n8n binary property, Node-RED Buffer.' },
    { name: 'fileName', type: 'string', description: 'screenshot.png or screenshot.jpg.' },
    { name: 'mimeType', type: 'string', description: 'image/png or image/jpeg.' },
    { name: 'width', type: 'number', description: 'Width in pixels (0 when the image header is unreadable).' },
    { name: 'height', type: 'number', description: 'Height in pixels (0 when the image header is unreadable).' },
    { name: 'size', type: 'number', description: 'Size in bytes.' },
    requestIdOutput,
  ],
  async execute(context, input) {
    const format = input.format;
    const args: Record<string, unknown> = { ...FIRST_PAGE, full_page: input.fullPage, format };
    if (format === 'jpeg') args.quality = input.quality ?? 80;
    const answer = await callBrowserTool(context.client, context.session.sessionId, 'page_use_screenshot', args, 'Screenshot failed', context.signal);
    const data = decodeImage(answer.text, answer.requestId);
    const { width, height, type } = imageSize(data);
    if (type !== format) {
      throw new AgentBayError(`Screenshot failed: expected a ${format.toUpperCase()} image, got ${type === 'unknown' ? 'bytes that are neither PNG nor JPEG' : type.toUpperCase()}`, { code: 'InvalidResponse', requestId: answer.requestId });
    }
    const mimeType = format === 'png' ? 'image/png' : 'image/jpeg';
    const fileName = format === 'png' ? 'screenshot.png' : 'screenshot.jpg';
    return {
      json: { fileName, mimeType, width, height, size: data.length, requestId: answer.requestId },
      binary: [{ key: SCREENSHOT_BINARY_KEY, data, mimeType, fileName }],
    };
  },
});
