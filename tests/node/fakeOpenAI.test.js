// The UI tests' loopback OpenAI server streams replies word by word; what it streams must be the
// reply exactly, or no UI test could see an indentation bug in a code block.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const fake = pathToFileURL(path.resolve(__dirname, '../e2e/support/fakeOpenAI.mjs')).href;

test('streamPieces_IndentedCode_JoinsBackToTheTextExactly', async () => {
  const { streamPieces } = await import(fake);
  const text = '```python\ndef f(x):\n    if x:\n        return  x\n\n  \n```\n trailing  ';
  const pieces = streamPieces(text);
  assert.equal(pieces.join(''), text);
  assert.ok(pieces.length > 8, 'streamed in pieces, not in one');
});

test('streamedReply_IndentedCode_ReachesTheClientUnchanged', async () => {
  const { startFakeOpenAI } = await import(fake);
  const text = 'Here:\n```js\nif (a) {\n    b();\n}\n```';
  const server = await startFakeOpenAI({ replies: [{ text, gapMs: 0 }] });
  try {
    const response = await fetch(`${server.endpoint}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'loop-1', stream: true }) });
    const body = await response.text();
    const streamed = body.split('\n\n').filter(f => f.startsWith('data: {'))
      .map(f => JSON.parse(f.slice(6)).choices[0]?.delta?.content ?? '').join('');
    assert.equal(streamed, text);
  } finally {
    await server.close();
  }
});

test('authorize_WrongKey_Answers401LikeOpenAIAndTheRightKeyLists', async () => {
  const { startFakeOpenAI } = await import(fake);
  const server = await startFakeOpenAI({ models: ['loop-1'], authorize: auth => auth === 'Bearer sk-right' });
  try {
    const refused = await fetch(`${server.endpoint}/models`, { headers: { authorization: 'Bearer sk-wrong' } });
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error.code, 'invalid_api_key');
    const listed = await fetch(`${server.endpoint}/models`, { headers: { authorization: 'Bearer sk-right' } });
    assert.deepEqual((await listed.json()).data.map(m => m.id), ['loop-1']);
  } finally {
    await server.close();
  }
});
