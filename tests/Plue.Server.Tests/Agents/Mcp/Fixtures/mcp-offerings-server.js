#!/usr/bin/env node
// An MCP server for the offerings tests, on stdio (one JSON object a line), node's standard library only: resources
// (text in two parts, and binary only), a prompt whose messages are text, an image and an embedded resource, and a
// tool `ask` that asks the user (elicitation/create) and returns the action and the values it got.
'use strict';
const readline = require('node:readline');

const send = message => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\n');
const waiting = new Map(); // elicitation id → the tool call's id
let asked = 0;

const resources = [
  { uri: 'fixture://parts', name: 'parts', title: 'Two parts', mimeType: 'text/plain' },
  { uri: 'fixture://logo', name: 'logo', mimeType: 'image/png' },
];
const contents = {
  'fixture://parts': [{ uri: 'fixture://parts', mimeType: 'text/plain', text: 'one' }, { uri: 'fixture://parts', mimeType: 'text/plain', text: 'two' }],
  'fixture://logo': [{ uri: 'fixture://logo', mimeType: 'image/png', blob: 'iVBORw0KGgo=' }],
};
const mixed = [
  { role: 'user', content: { type: 'text', text: 'Look at this:' } },
  { role: 'user', content: { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
  { role: 'assistant', content: { type: 'resource', resource: { uri: 'fixture://parts', mimeType: 'text/plain', text: 'embedded text' } } },
];

readline.createInterface({ input: process.stdin })
  .on('line', line => {
    if (!line.trim()) return;
    const { id, method, params, result } = JSON.parse(line);
    if (method === undefined && waiting.has(id)) {
      const call = waiting.get(id);
      waiting.delete(id);
      const answer = result ?? { action: 'cancel' };
      return send({ id: call, result: { content: [{ type: 'text', text: `${answer.action} ${JSON.stringify(answer.content ?? null)}` }] } });
    }
    if (id === undefined) return;
    switch (method) {
      case 'initialize':
        return send({ id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {}, resources: {}, prompts: {} }, serverInfo: { name: 'offerings', version: '1.0.0' } } });
      case 'tools/list':
        return send({ id, result: { tools: [{ name: 'ask', description: 'Asks the user for a number.', inputSchema: { type: 'object' } }] } });
      case 'tools/call': {
        const elicitation = `ask-${++asked}`;
        waiting.set(elicitation, id);
        return send({ id: elicitation, method: 'elicitation/create', params: { message: 'How many?', requestedSchema: { type: 'object', properties: { n: { type: 'integer', title: 'Count' }, ok: { type: 'boolean' } }, required: ['n'] } } });
      }
      case 'resources/list': return send({ id, result: { resources } });
      case 'resources/read': return send({ id, result: { contents: contents[params.uri] ?? [] } });
      case 'prompts/list': return send({ id, result: { prompts: [{ name: 'mixed', description: 'Text, an image and a resource.' }] } });
      case 'prompts/get': return send({ id, result: { messages: mixed } });
      default: return send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
    }
  })
  .on('close', () => process.exit(0));
