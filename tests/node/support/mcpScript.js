// The source of a minimal stdio MCP server the sandbox tests start through the sidecar: `prelude` runs first (what the
// server tries at its start), then it answers initialize, lists one tool and, where `callText` (a JavaScript expression
// in the script) is given, answers a call with it as text; with `when` (an expression of the script) only when it holds
// (a probe that serves only when asked to).
'use strict';

function stdioMcpScript({ name, prelude = '', tool = 'echo', callText, when }) {
  const call = callText ? `\n      : m.method === 'tools/call' ? { result: { content: [{ type: 'text', text: ${callText} }] } }` : '';
  const serving = `let buffer = '';
process.stdin.on('data', (d) => {
  buffer += d;
  for (let i; (i = buffer.indexOf('\\n')) >= 0;) {
    const m = JSON.parse(buffer.slice(0, i)); buffer = buffer.slice(i + 1);
    if (m.id === undefined) continue;
    const answer = m.method === 'initialize'
      ? { result: { protocolVersion: m.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: '${name}', version: '1' } } }
      : m.method === 'tools/list' ? { result: { tools: [{ name: '${tool}', description: 'A tool of the test.', inputSchema: { type: 'object', properties: {} } }] } }${call}
      : { error: { code: -32601, message: 'Method not found' } };
    process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, ...answer }) + '\\n');
  }
});`;
  return `${prelude}
${when ? `if (${when}) {\n${serving}\n}` : serving}`;
}

module.exports = { stdioMcpScript };
