// A spend cap holds within a model call: the real sidecar, a task with a small cap on a loopback OpenAI-compatible
// server that streams a long answer of a model with no known price. The stream is stopped once the counted cost
// reaches the cap (what arrived kept), the task pauses there, the user's Stop ends it, and the CLI and the window
// name that end and its counted cost alike.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { startSidecar, within } = require('./support/sidecar');
const { plue } = require('./support/plue');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const chunk = 'forty characters of a long answer here. ';
const chunks = 3000; // 30,000 tokens: $0.30 at $10 per million, fifteen times the cap

/** Streams `chunks` pieces of text, one every 2 ms, then usage; notes whether the client closed the stream before its end. */
async function longAnswer() {
  const seen = { requests: 0, written: 0, closedEarly: false };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      seen.requests++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (body) => res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', ...body })}\n\n`);
      for (let i = 0; i < chunks; i++) {
        if (res.destroyed) { seen.closedEarly = true; return; }
        send({ choices: [{ index: 0, delta: { content: chunk }, finish_reason: null }] });
        seen.written++;
        await new Promise((r) => setTimeout(r, 2));
      }
      send({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      send({ choices: [], usage: { prompt_tokens: 900, completion_tokens: 30_000, total_tokens: 30_900 } });
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { endpoint: `http://127.0.0.1:${server.address().port}/v1`, seen, close: () => { server.closeAllConnections(); server.close(); } };
}

async function until(ms, check, what) {
  return within(ms, (async () => {
    for (;;) {
      const value = await check();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  })(), what);
}

/** The extension's own task status names and cost text, built from its TypeScript as the window runs it. */
async function windowWords() {
  const built = await esbuild.build({
    stdin: { contents: "export { statusLooks } from './extension/src/shared/taskStatus'; export { formatTaskCost } from './extension/src/shared/format';", resolveDir: root, loader: 'ts' },
    bundle: true, format: 'esm', write: false, platform: 'node',
  });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test('a spend cap stops a streaming answer when its counted cost reaches the cap; Stop ends it as "interrupted" with the counted cost, in the CLI as in the window', async (t) => {
  const fake = await longAnswer();
  const s = startSidecar();
  t.after(async () => { fake.close(); await s.stop(); });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64') });
  const instance = await s.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: fake.endpoint, apiKey: 'loopback-node-cap-0123456789', retry: { maxAttempts: 1 } });

  const asked = [];
  s.connection.onRequest('permission/request', async (p) => {
    asked.push({ params: p, task: await s.connection.sendRequest('task/get', { id: p.taskId }) });
    return { decision: 'deny' }; // the user's Stop
  });
  const cap = 0.02;
  const started = await s.connection.sendRequest('task/start', {
    templateId: 'task', title: 'Long essay', prompt: 'Write a very long essay.', providerRef: instance.id, modelId: 'gpt-unpriced', allowUnlisted: true,
    fields: { spend_cap_usd: cap, unpriced_usd_per_million: 10 },
  });

  const ended = await until(30_000, async () => {
    const task = await s.connection.sendRequest('task/get', { id: started.id });
    return task.status === 'cancelled' ? task : undefined;
  }, 'the task stopped at its cap');

  // Stopped inside the one call: the provider's stream was closed long before its end, and no second call was made.
  assert.equal(fake.seen.requests, 1);
  assert.ok(fake.seen.written < chunks / 4, `the stream was read to chunk ${fake.seen.written} of ${chunks}`);
  await until(5_000, () => fake.seen.closedEarly, 'the provider seeing its stream closed');
  // It paused at the cap first, and the user was asked.
  assert.equal(asked.length, 1);
  assert.equal(asked[0].params.tool, 'spend_cap');
  assert.equal(asked[0].task.status, 'paused');
  assert.match(asked[0].task.statusReason, /^Spend cap reached: \$0\.02\d* of \$0\.02 spent/);
  // What arrived is kept, and counted: a little past the cap at most (the piece that crossed it).
  const page = await s.connection.sendRequest('task/messages', { id: started.id });
  const answer = page.messages.find((m) => m.role === 'assistant');
  const text = answer.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');
  assert.equal(answer.status, 'cancelled');
  assert.ok(text.startsWith(chunk) && text.length >= chunk.length * 10, `kept ${text.length} characters`);
  assert.equal(ended.statusReason, 'Stopped at its spend cap');
  assert.equal(ended.totalCostUsd, null); // no known price
  assert.ok(ended.capCountedUsd >= cap && ended.capCountedUsd < cap + 0.001, `counted ${ended.capCountedUsd}`);

  // One name and one figure for it: the CLI's list and the window's tree.
  await s.stop();
  const listed = await plue(['task', 'list'], { home: s.home });
  assert.equal(listed.code, 0, listed.stderr);
  const { statusLooks, formatTaskCost } = await windowWords();
  const row = listed.stdout.split('\n').find((line) => line.includes('Long essay'));
  assert.ok(row, listed.stdout);
  assert.match(row, new RegExp(`\\b${statusLooks.cancelled.label.toLowerCase()}\\b`));
  assert.ok(row.includes(formatTaskCost(ended)), `${row} shows ${formatTaskCost(ended)}`);
  assert.match(formatTaskCost(ended), /^\$0\.02\d\d counted by its cap$/);
});
