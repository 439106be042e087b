// A streamed delta's path through the real sidecar, counted in thread wake-ups: on a VM each costs tens of µs, and
// they were most of the CPU a delta cost. The provider's paced writes are read and folded on the socket thread that
// is woken for them, and each delta is written to the client by the thread that folded it: no thread-pool worker
// wakes for a delta. Linux only (it reads /proc).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startSidecar } from './support/wire.mjs';
import { chatOn, closing, send, startFakeProvider, streamHead, textChunk } from './support/fakeProvider.mjs';

const deltas = 150;

/** Voluntary context switches (a thread waiting, then woken) of the process's threads, summed by thread name. */
function switchesByName(pid) {
  const byName = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const switches = Number(/voluntary_ctxt_switches:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))[1]);
      byName[name] = (byName[name] ?? 0) + switches;
    } catch { /* a thread that ended meanwhile */ }
  }
  return byName;
}

test('a paced stream wakes no thread-pool worker per delta: each is read, folded and written on the thread woken for it',
  { timeout: 90_000, skip: process.platform !== 'linux' }, async (t) => {
    const fake = await startFakeProvider(t, async (f, req, res) => {
      streamHead(res, f);
      for (let i = 0; i < deltas; i++) {
        await send(res, textChunk(f, `w${i} `));
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
      res.end(closing(f));
    });
    // Not the developer's own choice of the runtime's switch: the product's default.
    const s = startSidecar(t, { env: { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS: undefined } });
    await s.initialize();
    const chat = await chatOn(s, fake, 'openai');
    // A first turn starts what a turn starts once (connections, the store's writer), so the second is the one counted.
    await s.request('session/send', { sessionId: chat.id, text: 'warm' }, 60_000);
    const before = switchesByName(s.child.pid);
    const reply = await s.request('session/send', { sessionId: chat.id, text: 'count' }, 60_000);
    const after = switchesByName(s.child.pid);

    assert.equal(reply.status, 'complete', `completed: ${reply.error}`);
    assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, Array.from({ length: deltas }, (_, i) => `w${i} `).join(''));
    const woken = (name) => (after[name] ?? 0) - (before[name] ?? 0);
    const perDelta = woken('.NET TP Worker') / deltas;
    // Before, a delta woke about 2.5 (the worker the socket thread queued its read to, and the one the pool woke
    // beside it); the answer's start and end still use the pool a few times.
    assert.ok(perDelta < 0.3, `thread-pool workers woke ${perDelta.toFixed(2)} times a delta: ${JSON.stringify({ before, after })}`);
    assert.ok(woken('.NET Sockets') >= deltas / 2, `the socket thread woke ${woken('.NET Sockets')} times for ${deltas} deltas`);
  });
