#!/usr/bin/env node
// A tiny MCP server for the tests: JSON-RPC 2.0 as one JSON object per line on
// stdin/stdout (the MCP stdio transport), node's standard library only, no network.
'use strict';
const readline = require('node:readline');

const object = (properties = {}, required = []) => ({ type: 'object', properties, required });
const tools = [
  { name: 'echo', description: 'Returns its text.', inputSchema: object({ text: { type: 'string' } }, ['text']) },
  { name: 'env', description: 'Returns the names of its environment variables, the value of FIXTURE_SECRET, and the values of the variables named.', inputSchema: object({ names: { type: 'array', items: { type: 'string' } } }) },
  { name: 'pid', description: 'Returns its process id.', inputSchema: object() },
  { name: 'fail', description: 'Always reports a tool error.', inputSchema: object() },
  { name: 'odd name!', description: 'A name with characters a model API refuses.', inputSchema: object() },
];

const text = (value, isError = false) => ({ content: [{ type: 'text', text: value }], isError });

function call(name, args) {
  switch (name) {
    case 'echo': return text(String(args.text));
    case 'env': return text(JSON.stringify({
      names: Object.keys(process.env).sort(),
      secret: process.env.FIXTURE_SECRET ?? null,
      values: Object.fromEntries((args.names ?? []).map(name => [name, process.env[name] ?? null])),
    }));
    case 'pid': return text(String(process.pid));
    case 'fail': return text('it failed on purpose', true);
    case 'odd name!': return text('odd');
    default: return text(`unknown tool ${name}`, true);
  }
}

const send = message => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');

readline.createInterface({ input: process.stdin })
  .on('line', line => {
    if (!line.trim()) return;
    const { id, method, params } = JSON.parse(line);
    if (id === undefined) return; // notifications (initialized, cancelled) need no answer
    switch (method) {
      case 'initialize':
        return send({ id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'fixture', version: '1.0.0' } } });
      case 'ping': return send({ id, result: {} });
      case 'tools/list': return send({ id, result: { tools } });
      case 'tools/call': return send({ id, result: call(params.name, params.arguments ?? {}) });
      default: return send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
    }
  })
  .on('close', () => process.exit(0));
