#!/usr/bin/env node
// A stand-in sidecar speaking the chat protocol (session/*, instances/*) over
// stdio with vscode-jsonrpc, for the chat E2E test until the real sidecar's
// sessions land. It streams a scripted reply: reasoning, then markdown text,
// as session/partDelta notifications, with session/updated around it.
// Set as `plue.sidecar.path`; PLUE_CHAT_DELAY_MS paces the deltas.
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const delay = Number(process.env.PLUE_CHAT_DELAY_MS ?? 40);
const connection = createMessageConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
const sessions = new Map();
const messages = new Map();
const cancelled = new Set();
let counter = 0;
const id = prefix => `${prefix}${++counter}`;
const now = () => new Date(Date.now() + counter).toISOString();
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const zero = () => ({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

const reply = {
  reasoning: ['The user asks ', 'about **parsing**. ', 'Recursive descent is simplest.'],
  text: ['## Plan\n\n', 'Use a **recursive ', 'descent** parser.\n\n', '```ts\nconst ast = ', 'parse("1 + 2");\n```\n\n', 'See [the guide](https://example.com/guide).'],
};

function touch(session, over = {}) {
  Object.assign(session, over, { updatedAt: now() });
  connection.sendNotification('session/updated', { session });
  return session;
}

connection.onRequest('initialize', () => ({ capabilities: {}, serverInfo: { name: 'plue', version: '0.0.0-chat-stand-in' } }));
connection.onNotification('initialized', () => {});
connection.onRequest('shutdown', () => null);
connection.onNotification('exit', () => process.exit(0));
connection.onRequest('plue/status', () => ({ version: '0.0.0-chat-stand-in', pid: process.pid, plueHome: process.env.PLUE_HOME ?? '', uptimeMs: Math.round(process.uptime() * 1000) }));

connection.onRequest('instances/list', () => [
  { id: 'anthropic-work', displayName: 'Anthropic (work)', catalogProviderId: 'anthropic', enabled: true, hasKey: true, fromEnvironment: false },
]);
connection.onRequest('instances/models', () => [
  { id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5', contextWindow: 200_000, prices: null },
]);

connection.onRequest('session/create', ({ instanceId, modelId, title }) => {
  const session = {
    id: id('s'), slug: `chat-${counter}`, title: title ?? 'New chat', instanceId, modelId, status: 'idle',
    usage: zero(), costUsd: null, messageCount: 0, contextWindow: 200_000, createdAt: now(), updatedAt: now(),
  };
  sessions.set(session.id, session);
  messages.set(session.id, []);
  return session;
});
connection.onRequest('session/list', ({ archived } = {}) => [...sessions.values()].filter(s => (s.status === 'archived') === Boolean(archived)));
connection.onRequest('session/get', ({ id: sessionId }) => sessions.get(sessionId) ?? Promise.reject(new Error(`no session ${sessionId}`)));
connection.onRequest('session/messages', ({ id: sessionId }) => ({ messages: messages.get(sessionId) ?? [] }));
connection.onRequest('session/rename', ({ id: sessionId, title }) => touch(sessions.get(sessionId), { title }));
connection.onRequest('session/archive', ({ id: sessionId, archived }) => touch(sessions.get(sessionId), { status: archived ? 'archived' : 'idle' }));
connection.onRequest('session/cancel', ({ sessionId }) => {
  cancelled.add(sessionId);
  return { cancelled: true };
});

connection.onRequest('session/send', ({ sessionId, text, attachments = [] }) => {
  const session = sessions.get(sessionId);
  const list = messages.get(sessionId);
  const parts = [{ id: id('p'), kind: 'text', text }, ...attachments.map(a => ({ id: id('p'), kind: 'file', path: a.path, content: a.content, language: a.language, range: a.range }))];
  list.push({ id: id('m'), sessionId, role: 'user', status: 'complete', parts, createdAt: now() });
  if (session.messageCount === 0) session.title = text.slice(0, 40);
  return stream(session);
});

connection.onRequest('session/regenerate', ({ sessionId }) => {
  const list = messages.get(sessionId);
  if (list.at(-1)?.role === 'assistant') list.pop();
  return stream(sessions.get(sessionId));
});

/** Streams the scripted reply into a new assistant message, unless cancelled. */
async function stream(session) {
  const sessionId = session.id;
  const list = messages.get(sessionId);
  cancelled.delete(sessionId);
  touch(session, { status: 'active' });
  const assistant = { id: id('m'), sessionId, role: 'assistant', status: 'streaming', parts: [], modelId: session.modelId, createdAt: now() };
  for (const kind of ['reasoning', 'text']) {
    const part = { id: id('p'), kind, text: '' };
    assistant.parts.push(part);
    for (const delta of reply[kind]) {
      if (cancelled.has(sessionId)) break;
      await sleep(delay);
      part.text += delta;
      connection.sendNotification('session/partDelta', { sessionId, messageId: assistant.id, partId: part.id, kind, delta });
    }
  }
  assistant.status = cancelled.has(sessionId) ? 'cancelled' : 'complete';
  assistant.usage = { ...zero(), input: 1200, output: 340 };
  assistant.costUsd = 0.0123;
  list.push(assistant);
  connection.sendNotification('session/messageUpdated', { message: assistant });
  const usage = { ...session.usage, input: session.usage.input + 1200, output: session.usage.output + 340 };
  touch(session, { status: 'idle', usage, costUsd: (session.costUsd ?? 0) + 0.0123, messageCount: list.length });
  return assistant;
}

connection.listen();
