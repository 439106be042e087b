// Provider streams the formats allow but rarely see, and ones they do not allow, in every wire format: what is
// allowed is ignored, what is not ends the answer with words a person understands, never a serializer's message.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startSidecar, record } from './support/wire.mjs';
import { answer, chatOn, closing, opening, startFakeProvider, streamHead, textChunk } from './support/fakeProvider.mjs';

const rawDotNet = /could not be converted|Path: \$|LineNumber|BytePositionInLine|JsonException|System\./;

/** A chat on `format` whose provider answers with `body(format)`; returns the finished answer. */
async function answerOf(t, format, body) {
  const fake = await startFakeProvider(t, async (f, req, res) => { streamHead(res, f); res.end(body(f)); });
  const s = startSidecar(t);
  await s.initialize();
  const chat = await chatOn(s, fake, format);
  return s.request('session/send', { sessionId: chat.id, text: 'hello' }, 30_000);
}

// What each format allows and a reader must skip: an empty `data:` line (SSE), a line of blanks (NDJSON).
const allowed = {
  openai: 'data:\n\n',
  anthropic: 'event: content_block_delta\ndata:\n\n',
  ollama: '   \n',
};

// What no format allows where a chunk belongs.
const malformed = {
  openai: [
    ['data: []', 'data: []\n\n'],
    ['data: "str"', 'data: "str"\n\n'],
    ['a number as content', 'data: {"id":"c1","choices":[{"index":0,"delta":{"content":5}}]}\n\n'],
  ],
  anthropic: [
    ['data: []', 'event: content_block_delta\ndata: []\n\n'],
    ['data: "str"', 'event: content_block_delta\ndata: "str"\n\n'],
    ['a number as text', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}\n\n'],
  ],
  ollama: [
    ['[]', '[]\n'],
    ['"str"', '"str"\n'],
    ['a number as content', '{"model":"llama-fault","message":{"role":"assistant","content":5},"done":false}\n'],
  ],
};

for (const format of ['openai', 'anthropic', 'ollama']) {
  test(`${format}: an empty chunk the format allows is ignored and the answer completes`, { timeout: 60_000 }, async (t) => {
    const reply = await answerOf(t, format, (f) => opening(f) + textChunk(f, 'Hello') + allowed[f] + textChunk(f, ' world') + closing(f));
    assert.equal(reply.status, 'complete', `completed: ${reply.error}`);
    assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'Hello world');
  });

  for (const [what, chunk] of malformed[format]) {
    test(`${format}: ${what} ends the answer with "sent a malformed chunk", keeping the text before it`, { timeout: 60_000 }, async (t) => {
      const reply = await answerOf(t, format, (f) => opening(f) + textChunk(f, 'Kept') + chunk + textChunk(f, ' lost') + closing(f));
      assert.equal(reply.status, 'error');
      assert.match(reply.error, /sent a malformed chunk: /, reply.error);
      assert.doesNotMatch(reply.error, rawDotNet, `no serializer message: ${reply.error}`);
      assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'Kept');
    });
  }
}

test('every format: a good answer still streams whole', { timeout: 60_000 }, async (t) => {
  for (const format of ['openai', 'anthropic', 'ollama']) {
    const reply = await answerOf(t, format, (f) => answer(f, ['A', 'B', 'C']));
    assert.equal(reply.status, 'complete', `${format}: ${reply.error}`);
    assert.equal(reply.parts.find((p) => p.kind === 'text')?.text, 'ABC');
  }
  record(t, 'malformed-chunk inputs tried: 9 malformed, 3 allowed-empty, 3 good');
});
