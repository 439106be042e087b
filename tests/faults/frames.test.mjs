// Hostile frames against the real sidecar: no frame may end the process, and no broken header may wedge the
// connection. After each, the sidecar still answers a plain request.
import test from 'node:test';
import assert from 'node:assert/strict';
import { frame, startSidecar } from './support/wire.mjs';
import { answer, chatOn, startFakeProvider, streamHead } from './support/fakeProvider.mjs';

const raw = (...parts) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'))));

async function stillServes(s, what) {
  const result = await s.request('plue/ping', {}, 10_000);
  assert.equal(typeof result.uptimeMs, 'number', `after ${what}, ping answers`);
  assert.ok(s.alive(), `after ${what}, the sidecar runs`);
}

// Each body is sent with its own id so the reply can be found. A broken method or jsonrpc gets an error for that id;
// a broken string id is read with U+FFFD in place of what was broken, so the request is answered under that id.
const badBodies = [
  ['invalid UTF-8 in method', raw('{"jsonrpc":"2.0","id":41,"method":"plue/', Buffer.from([0xff, 0xfe]), '"}'), 41],
  ['a lone surrogate escaped in method', raw('{"jsonrpc":"2.0","id":42,"method":"plue/\\ud800"}'), 42],
  ['invalid UTF-8 in a string id', raw('{"jsonrpc":"2.0","id":"a', Buffer.from([0xc3]), '","method":"plue/ping","params":{}}'), 'a\uFFFD'],
  ['a lone surrogate escaped in a string id', raw('{"jsonrpc":"2.0","id":"\\udc00","method":"plue/ping","params":{}}'), '\uFFFD'],
  ['invalid UTF-8 in jsonrpc', raw('{"jsonrpc":"2.', Buffer.from([0xe2, 0x82]), '","id":45,"method":"plue/ping"}'), 45],
  ['a lone surrogate escaped in jsonrpc', raw('{"jsonrpc":"2.0\\ud83d","id":46,"method":"plue/ping"}'), 46],
  ['a lone surrogate in a notification method', raw('{"jsonrpc":"2.0","method":"$/\\udfff"}'), undefined],
];

for (const [what, body, id] of badBodies) {
  test(`a frame with ${what} is answered, and the sidecar goes on`, { timeout: 60_000 }, async (t) => {
    const s = startSidecar(t);
    await s.initialize();
    s.write(frame(body));
    if (typeof id === 'number') {
      const reply = await s.next((m) => m.id === id, 10_000, `the reply for ${what}`);
      assert.ok(reply.error?.code < 0, `a JSON-RPC error, got ${JSON.stringify(reply)}`);
    } else if (typeof id === 'string') {
      const reply = await s.next((m) => m.id === id, 10_000, `the reply for ${what}`);
      assert.equal(typeof reply.result?.uptimeMs, 'number', `answered under the repaired id, got ${JSON.stringify(reply)}`);
    }
    await stillServes(s, what);
  });
}

test('a user text cut in the middle of an emoji is stored with a replacement character', { timeout: 60_000 }, async (t) => {
  const fake = await startFakeProvider(t, async (format, req, res) => { streamHead(res, format); res.end(answer(format, ['ok'])); });
  const s = startSidecar(t);
  await s.initialize();
  const chat = await chatOn(s, fake, 'openai');
  // What JSON.stringify makes of 'hi 😀'.slice(0, 4): the high surrogate alone, escaped.
  const cut = 'hi 😀'.slice(0, 4);
  const reply = await s.call('session/send', { sessionId: chat.id, text: cut }, 20_000);
  assert.equal(reply.error, undefined, `accepted, not refused: ${reply.error?.message}`);
  const { messages } = await s.request('session/messages', { id: chat.id });
  assert.equal(messages[0].parts[0].text, 'hi \uFFFD');
  assert.equal(messages[1].status, 'complete');
});

const ping = (id) => frame({ jsonrpc: '2.0', id, method: 'plue/ping', params: {} });
const body = JSON.stringify({ jsonrpc: '2.0', id: 77, method: 'plue/ping', params: {} });
const badHeaders = [
  ['Content-Length: -1', `Content-Length: -1\r\n\r\n${body}`],
  ['a non-numeric Content-Length', `Content-Length: twelve\r\n\r\n${body}`],
  ['a header line without a colon', `Content-Length: ${body.length}\r\nno colon here\r\n\r\n${body}`],
  ['8 KB of header garbage, then a body', `${'garbage '.repeat(1100)}\r\n${body}`],
  ['8 KB of garbage without a line end, then a body', `${'#'.repeat(9000)}${body}`],
  ['a body with no headers at all', body],
];

for (const [what, bytes] of badHeaders) {
  test(`after ${what}, the next requests are answered (the connection resynchronises)`, { timeout: 60_000 }, async (t) => {
    const s = startSidecar(t);
    await s.initialize();
    s.write(Buffer.from(bytes, 'utf8'));
    for (let id = 1; id <= 3; id++) {
      s.write(ping(id));
      const reply = await s.next((m) => m.id === id, 10_000, `the reply to ping ${id} after ${what}`);
      assert.equal(typeof reply.result?.uptimeMs, 'number', `ping ${id} answered: ${JSON.stringify(reply)}`);
    }
    // The broken frame was reported, not served and not silently dropped; by its id when its length was known.
    const report = s.messages.find((m) => [-32700, -32600].includes(m.error?.code));
    assert.ok(report, 'the broken frame was reported');
    if (what.includes('without a colon')) assert.equal(report.id, 77, `refused by id: ${JSON.stringify(report)}`);
    assert.ok(!s.messages.some((m) => m.id === 77 && m.result), 'the broken frame was not served');
    assert.ok(s.alive());
  });
}
