// Keys checked where they enter: `plue instances key --key-stdin` fed binary data is refused with a message that
// names the instance's key (not the endpoint), and the key the instance had stays.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { plue, tempHome } = require('./support/plue');

const apiKey = 'sk-keys-0123456789abcdef';

test('`plue instances key --key-stdin` with 4 KB of binary is refused naming the key, and the previous key stays', async () => {
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Work OpenAI', '--endpoint', 'http://127.0.0.1:9', '-m', 'loop-1', '--key-stdin'],
    { home, input: `${apiKey}\n` });
  assert.equal(added.code, 0, added.stderr);

  // Binary on one "line": every byte but the line feed.
  const binary = Buffer.from(crypto.randomBytes(4096).map((b) => (b === 0x0a ? 0x00 : b)));
  const refused = await plue(['instances', 'key', 'Work OpenAI', '--key-stdin'], { home, input: binary });
  assert.equal(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /^plue: The API key of 'Work OpenAI' (is \d+ characters long|has a character that is not printable)/);
  assert.match(refused.stderr, /nothing was saved/);
  assert.doesNotMatch(refused.stderr, /endpoint/i);

  const listed = await plue(['instances', 'list', '--json'], { home });
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(JSON.parse(listed.stdout).find((i) => i.displayName === 'Work OpenAI').hasKey, true, 'the key it had is kept');
});
