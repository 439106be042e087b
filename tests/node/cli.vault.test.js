// One home, one vault key for VS Code and the `plue` command line: a home made by either opens in the other with
// every secret, the key never leaves the home's 0600 key file (or PLUE_VAULT_KEY) and never reaches a log.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { plue, tempHome } = require('./support/plue');
const { startSidecar, within, root } = require('./support/sidecar');

const fakeOpenAI = async (options) => (await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'))).startFakeOpenAI(options);
const apiKey = 'sk-one-vault-0123456789abcdef';
/** The command line as users run it: no PLUE_VAULT_KEY, so the home's key file. */
const cli = (args, home) => plue(args, { home, env: { PLUE_VAULT_KEY: '' } });

async function stopCleanly(s) {
  await s.connection.sendRequest('shutdown');
  await s.connection.sendNotification('exit');
  await within(5000, s.exited, 'exit');
}

test('a home VS Code made while it kept the vault key opens on the command line once VS Code has opened it again', async (t) => {
  const fake = await fakeOpenAI({ replies: [{ text: 'Opened.', gapMs: 1 }] });
  t.after(() => fake.close());
  const home = tempHome();
  const previousKey = crypto.randomBytes(32).toString('base64');
  // Earlier versions: the key in VS Code's SecretStorage, handed over at initialize; vault.bin and no vault.key.
  // A key from the environment leaves the same home behind (it is never written to a file).
  const before = startSidecar({ home, env: { PLUE_VAULT_KEY: previousKey } });
  t.after(() => before.stop());
  await before.initialize();
  await before.connection.sendRequest('instances/create', { displayName: 'Made in VS Code', catalogProviderId: 'openai', apiKey, endpoint: fake.endpoint, defaultModelId: 'loop-1' });
  await stopCleanly(before);
  assert.ok(fs.existsSync(path.join(home, 'vault.bin')));
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')));

  // Before VS Code hands the key over, the command line says what to do and changes nothing.
  const vaultBefore = fs.readFileSync(path.join(home, 'vault.bin'));
  const refused = await cli(['ask', 'hello', '-i', 'Made in VS Code'], home);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /next time VS Code opens this home/);
  assert.deepEqual(fs.readFileSync(path.join(home, 'vault.bin')), vaultBefore);

  // VS Code opens the home, with the key SecretStorage kept: listing the instances reads the vault and moves the key.
  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: '', PLUE_LOG_LEVEL: 'Trace' } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey: previousKey });
  const listed = await window.connection.sendRequest('instances/list');
  assert.equal(listed.find((i) => i.displayName === 'Made in VS Code').hasKey, true);
  await stopCleanly(window);
  const keyFile = path.join(home, 'vault.key');
  assert.equal(fs.readFileSync(keyFile, 'ascii').trim(), previousKey);
  if (process.platform !== 'win32') assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  assert.ok(!window.stderr().includes(previousKey), 'the key is in no log line');

  const asked = await cli(['ask', 'hello', '-i', 'Made in VS Code'], home);
  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Opened.\n');
  assert.equal(fake.chats()[0].auth, `Bearer ${apiKey}`, 'the secret VS Code stored is the one sent');
});

test('a home the command line made opens in VS Code, whatever key its SecretStorage kept', async (t) => {
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Made in a terminal', '--endpoint', 'http://127.0.0.1:9', '-m', 'loop-1', '--key-stdin'],
    { home, input: `${apiKey}\n`, env: { PLUE_VAULT_KEY: '' } });
  assert.equal(added.code, 0, added.stderr);
  const keyFile = path.join(home, 'vault.key');
  const homeKey = fs.readFileSync(keyFile, 'ascii');

  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: '' } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey: crypto.randomBytes(32).toString('base64') });
  const listed = await window.connection.sendRequest('instances/list');
  const instance = listed.find((i) => i.displayName === 'Made in a terminal');
  assert.equal(instance.hasKey, true);
  // A key stored in VS Code lands in the same vault, under the same key, and the command line reads both.
  await window.connection.sendRequest('vault/store', { ref: 'vault://openai/second', value: `${apiKey}-second` });
  await stopCleanly(window);
  assert.equal(fs.readFileSync(keyFile, 'ascii'), homeKey, 'the home keeps its key');

  const instances = await cli(['instances', 'list', '--json'], home);
  assert.equal(instances.code, 0, instances.stderr);
  assert.equal(JSON.parse(instances.stdout).find((i) => i.displayName === 'Made in a terminal').hasKey, true);
});
