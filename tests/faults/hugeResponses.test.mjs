// Huge provider responses: a 200 MB SSE line, an answer part past the cap, a 300 MB error body. None may be held
// whole; each ends the answer with a clear error, and the chat stays readable, after a restart too. The sidecar's
// peak and resident memory are recorded (TAP diagnostics) for the note.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startSidecar, record } from './support/wire.mjs';
import { chatOn, opening, send, sendHuge, startFakeProvider, streamHead, textChunk } from './support/fakeProvider.mjs';

const MiB = 1024 * 1024;
// Far above what the sidecar needs (~100-200 MiB) and far below what holding the response whole takes.
const peakCeilingMiB = 1024;

/** Starts a sidecar, a chat on `format` and the fake; sends one message and returns what a person sees afterwards. */
async function survive(t, format, script) {
  const fake = await startFakeProvider(t, script);
  const s = startSidecar(t);
  await s.initialize();
  const chat = await chatOn(s, fake, format);
  const before = s.memory();
  const reply = await s.call('session/send', { sessionId: chat.id, text: 'answer at length' }, 120_000);
  const during = s.memory();
  // Memory after the spike: once the collector has had a moment.
  await new Promise((r) => setTimeout(r, 2000));
  const after = s.memory();
  const { messages } = await s.request('session/messages', { id: chat.id }, 30_000);
  await s.stop();
  const again = startSidecar(t, { home: s.home });
  await again.initialize();
  const reread = await again.request('session/messages', { id: chat.id }, 30_000);
  return { reply, messages, reread: reread.messages, before, during, after, fake };
}

test('a 200 MB SSE line ends the answer with a clear error; the chat reads back, after a restart too', { timeout: 180_000 }, async (t) => {
  const r = await survive(t, 'openai', async (f, req, res) => {
    streamHead(res, f);
    await send(res, textChunk(f, 'Before the flood. '));
    await sendHuge(res, 'data: {"id":"c1","choices":[{"index":0,"delta":{"content":"', 200 * MiB, '"}}]}\n\n');
    res.end('data: [DONE]\n\n');
  });
  record(t, `200 MB line: peak ${r.during.peakMiB} MiB, resident before ${r.before.rssMiB}, right after ${r.during.rssMiB}, 2 s after ${r.after.rssMiB} MiB`);
  assert.equal(r.reply.error, undefined, `session/send answers: ${r.reply.error?.message}`);
  assert.equal(r.reply.result.status, 'error');
  assert.match(r.reply.result.error, /a line of more than 8 MiB/);
  assert.equal(r.messages[1].parts.find((p) => p.kind === 'text')?.text, 'Before the flood. ');
  assert.equal(r.reread.length, 2, 'the chat reads back after a restart');
  assert.ok(r.during.peakMiB < peakCeilingMiB, `peak ${r.during.peakMiB} MiB stays under ${peakCeilingMiB} MiB`);
});

test('an answer part past the cap (4 Mi characters in 1 MiB chunks) stops there with a clear error and reads back', { timeout: 180_000 }, async (t) => {
  const r = await survive(t, 'anthropic', async (f, req, res) => {
    streamHead(res, f);
    await send(res, opening(f));
    const block = 'y'.repeat(MiB);
    for (let i = 0; i < 6; i++) if (!await send(res, textChunk(f, block))) return;
    res.end();
  });
  record(t, `6 MiB part: peak ${r.during.peakMiB} MiB, resident before ${r.before.rssMiB}, right after ${r.during.rssMiB}, 2 s after ${r.after.rssMiB} MiB`);
  assert.equal(r.reply.result?.status, 'error', JSON.stringify(r.reply).slice(0, 300));
  assert.match(r.reply.result.error, /grew past 4 Mi characters/);
  const kept = r.reread[1].parts.find((p) => p.kind === 'text')?.text ?? '';
  assert.equal(kept.length, 4 * MiB, 'what arrived up to the limit is kept, and no more');
});

test('a 300 MB error body is not read whole: the error quotes its start and memory stays low', { timeout: 180_000 }, async (t) => {
  let cut = false;
  const r = await survive(t, 'openai', async (f, req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    cut = !await sendHuge(res, '{"error":{"message":"', 300 * MiB, '","type":"invalid_request_error"}}');
    res.end();
  });
  record(t, `300 MB error body: peak ${r.during.peakMiB} MiB, resident before ${r.before.rssMiB}, right after ${r.during.rssMiB}, 2 s after ${r.after.rssMiB} MiB; reader hung up early: ${cut}`);
  assert.equal(r.reply.result?.status, 'error', JSON.stringify(r.reply).slice(0, 300));
  assert.match(r.reply.result.error, /OpenAI rejected the request \(HTTP 400\)/);
  assert.ok(r.reply.result.error.length < 2000, 'the message quotes only the start of the body');
  assert.ok(cut, 'the sidecar stopped reading and hung up long before the end of the body');
  assert.ok(r.during.peakMiB < peakCeilingMiB, `peak ${r.during.peakMiB} MiB stays under ${peakCeilingMiB} MiB`);
});
