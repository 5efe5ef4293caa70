/**
 * Call MCP Tool against scripted answers: tool errors returned or thrown, bad names and arguments.
 */
import { strict as assert } from 'node:assert';
import { AgentBayError, InputValidationError } from '../../../../../nodes/core/client/errors';
import { failure, ok, run } from '../../../../support/scripted-service';

describe('Call MCP Tool (scripted answers)', () => {
  describe('Call MCP Tool', () => {
    it('with Fail on Tool Error off returns the error in the result; plain text has no "parsed"', async () => {
      const result = await run(
        'callMcpTool',
        { CallMcpTool: [ok({ content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }], isError: true })] },
        { toolName: 'shell', arguments: { command: 'false' }, failOnToolError: false },
      );
      assert.equal(result.json.isError, true);
      assert.equal(result.json.errorMessage, 'first; second');
      assert.equal(result.json.text, 'first');
      assert.equal('parsed' in result.json, false);
      assert.equal(result.transport.sent[0].params.get('Args'), '{"command":"false"}');
      assert.equal(result.transport.sent[0].params.get('Server'), '');
    });

    it('fails with the tool\'s joined error texts by default', async () => {
      const error = await failure(
        'callMcpTool',
        { CallMcpTool: [ok({ content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }], isError: true })] },
        { toolName: 'shell', arguments: {} },
      );
      assert.equal(error.message, 'first; second');
      assert.equal((error as unknown as AgentBayError).code, 'ToolError');
    });

    it('a blank tool name is refused before any request', async () => {
      const error = await failure('callMcpTool', { CallMcpTool: [ok()] }, { toolName: '   ' });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Tool Name \(toolName\) /);
      assert.deepEqual(error.transport.actions(), []);
    });

    it('an arguments array is refused naming the field', async () => {
      const error = await failure('callMcpTool', { CallMcpTool: [ok()] }, { toolName: 'shell', arguments: '[1]' });
      assert.ok(error instanceof InputValidationError);
      assert.match(error.message, /^Arguments \(arguments\) must be an object/);
    });
  });
});
