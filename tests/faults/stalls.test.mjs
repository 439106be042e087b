// Slow servers against the real sidecar: a provider that trickles one byte every 2 s must not hold a turn. Past the
// instance's stall timeout the answer ends with what arrived kept, as an unreachable endpoint (a fallback takes a turn
// that showed nothing yet), in words that name the instance and the setting to raise.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startSidecar, record } from './support/wire.mjs';
import { formats, opening, startFakeProvider, streamHead, textChunk, answer } from './support/fakeProvider.mjs';

/** Sends `before`, then one byte every 2 s of `rest` until the client leaves. */
async function trickle(res, before, rest) {
  res.write(before);
  for (const byte of rest) {
    await new Promise((r) => setTimeout(r, 2000));
    if (res.destroyed) return;
    res.write(byte);
  }
  res.end();
}

async function instanceOn(s, fake, format, extra = {}) {
  const f = formats[format];
  return s.request('instances/create', {
    displayName: `Slow ${format}`, catalogProviderId: f.catalogProviderId, endpoint: f.endpoint(fake.base), apiKey: `sk-fault-${format}-0123456789`, ...extra,
  });
}

for (const format of ['openai', 'anthropic', 'ollama']) {
  test(`${format}: a byte every 2 s ends the answer at a 1 s stall timeout, the text kept and the instance named`, { timeout: 60_000 }, async (t) => {
    const fake = await startFakeProvider(t, async (f, req, res) => { streamHead(res, f); await trickle(res, opening(f) + textChunk(f, 'Kept'), textChunk(f, ' never')); });
    const s = startSidecar(t);
    await s.initialize();
    const instance = await instanceOn(s, fake, format, { stallTimeoutMs: 1000 });
    assert.equal(instance.stallTimeoutMs, 1000);
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: formats[format].model });

    const started = Date.now();
    const reply = await s.request('session/send', { sessionId: chat.id, text: 'hello' }, 30_000);

    assert.equal(reply.status, 'error');
    assert.match(reply.error, new RegExp(`^No complete chunk for 1 s from Slow ${format} in the middle of its answer; what arrived is kept\\. Raise its stall timeout in its settings or try again\\.`), reply.error);
    assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'Kept');
    record(t, `${format}: the stalled turn ended after ${Date.now() - started} ms`);
  });
}

test('a stall before any text counts as unreachable: the fallback answers the turn', { timeout: 60_000 }, async (t) => {
  // The slow server sends a keep-alive comment, then trickles; the good one answers at once.
  const slow = await startFakeProvider(t, async (f, req, res) => { streamHead(res, f); await trickle(res, ': keep-alive\n\n', textChunk(f, 'late')); });
  const good = await startFakeProvider(t, async (f, req, res) => { streamHead(res, f); res.end(answer(f, ['From', ' the', ' fallback'])); });
  const s = startSidecar(t);
  await s.initialize();
  const backup = await instanceOn(s, good, 'openai', { displayName: 'Backup' });
  const primary = await instanceOn(s, slow, 'openai', { stallTimeoutMs: 1000, fallbacks: [{ providerRef: backup.ref, modelId: 'gpt-fault' }] });
  const chat = await s.request('session/create', { instanceId: primary.id, modelId: 'gpt-fault' });

  const reply = await s.request('session/send', { sessionId: chat.id, text: 'hello' }, 30_000);

  assert.equal(reply.status, 'complete', reply.error);
  assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'From the fallback');
  assert.equal(good.requests.length, 1);
});

// Issue 46: the stall timeout bounds the gap between whole events, not between reads. A byte every 2 s is well inside
// a 5 s stall timeout, yet it never completes an event, so the answer ends as a stall.
for (const format of ['openai', 'anthropic', 'ollama']) {
  test(`${format}: a byte every 2 s that never completes an event ends as a stall at stallTimeoutMs 5000`, { timeout: 90_000 }, async (t) => {
    const fake = await startFakeProvider(t, async (f, req, res) => { streamHead(res, f); await trickle(res, opening(f) + textChunk(f, 'Kept'), textChunk(f, ' never, for minutes')); });
    const s = startSidecar(t);
    await s.initialize();
    const instance = await instanceOn(s, fake, format, { stallTimeoutMs: 5000 });
    const chat = await s.request('session/create', { instanceId: instance.id, modelId: formats[format].model });

    const started = Date.now();
    // The trickled chunk is over 100 bytes: 200 s at a byte every 2 s, so an answer within 60 s is the stall's.
    const reply = await s.request('session/send', { sessionId: chat.id, text: 'hello' }, 60_000);

    assert.equal(reply.status, 'error');
    assert.match(reply.error, new RegExp(`^No complete chunk for 5 s from Slow ${format} in the middle of its answer; what arrived is kept\\.`), reply.error);
    assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'Kept');
    record(t, `${format}: a trickle inside the stall timeout ended after ${Date.now() - started} ms`);
  });
}
