// The vault and provider instances through the real sidecar process and vscode-jsonrpc:
// a secret given to the sidecar never comes back out, in any answer, log line or file.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startSidecar, within } = require('./support/sidecar');

function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

async function stopCleanly(s) {
  await s.connection.sendRequest('shutdown');
  await s.connection.sendNotification('exit');
  await within(5000, s.exited, 'exit');
}

test('secrets stored through the sidecar appear in no answer, no log line and no file but vault.bin (encrypted)', async (t) => {
  const stored = `sk-vault-STORED-${crypto.randomUUID()}`;
  const instanceKey = `sk-vault-INSTANCE-${crypto.randomUUID()}`;
  const envKey = `sk-or-ENVIRONMENT-${crypto.randomUUID()}`;
  const vaultKey = crypto.randomBytes(32).toString('base64');
  const s = startSidecar({ env: { PLUE_LOG_LEVEL: 'Trace', OPENROUTER_API_KEY: envKey, PLUE_VAULT_KEY: '' } });
  t.after(() => s.stop());
  await s.initialize({ vaultKey });

  const answers = [];
  const call = async (method, params) => {
    const result = await (params === undefined ? s.connection.sendRequest(method) : s.connection.sendRequest(method, params));
    answers.push(JSON.stringify(result));
    return result;
  };
  const fail = async (method, params) => {
    const error = await s.connection.sendRequest(method, params).then(() => assert.fail(`${method} should fail`), (e) => e);
    answers.push(JSON.stringify({ code: error.code, message: error.message, data: error.data }));
    return error;
  };

  await call('vault/store', { ref: 'vault://openai/personal', value: stored });
  assert.deepEqual(await call('vault/has', { ref: 'vault://openai/personal' }), { exists: true });
  assert.deepEqual(await call('vault/list'), ['vault://openai/personal']);
  // Tests talk to 127.0.0.1 only: port 9 refuses at once, so instances/test fails fast without leaving the machine.
  const created = await call('instances/create', { displayName: 'Work Anthropic', catalogProviderId: 'anthropic', apiKey: instanceKey, endpoint: 'http://127.0.0.1:9' });
  assert.equal(created.apiKeyRef, 'vault://anthropic/work-anthropic');
  assert.equal(created.hasKey, true);
  const shared = await call('instances/create', { displayName: 'Personal OpenAI', catalogProviderId: 'openai', apiKeyRef: 'vault://openai/personal' });
  assert.equal(shared.hasKey, true);

  const list = await call('instances/list');
  const env = list.find((i) => i.id === 'env:openrouter');
  assert.ok(env, 'the OPENROUTER_API_KEY in the environment is offered as an instance');
  assert.equal(env.fromEnvironment, true);
  assert.equal(env.envVar, 'OPENROUTER_API_KEY');
  assert.equal(env.hasKey, true);
  assert.equal(env.providerType, 'openrouter');
  await call('instances/get', { id: 'env:openrouter' });
  // Not instances/test or instances/models: it would ask openrouter.ai for its list, and tests talk to 127.0.0.1 only.
  await call('instances/get', { id: 'env:openrouter' });
  await fail('instances/delete', { id: 'env:openrouter' });

  const updated = await call('instances/update', { id: created.id, version: created.version, apiKey: `${instanceKey}-rotated`, timeoutMs: 30000 });
  const tested = await call('instances/test', { id: updated.id });
  assert.equal(tested.ok, false, 'nothing listens on 127.0.0.1:9: no faked success');
  await call('instances/get', { id: created.id });
  await fail('instances/update', { id: created.id, version: 1, apiKey: `${instanceKey}-stale` });
  await fail('instances/create', { displayName: 'Nope', catalogProviderId: 'no-such-provider', apiKey: `${instanceKey}-refused` });
  await fail('vault/store', { ref: 'not-a-ref', value: `${stored}-refused` });
  await call('vault/rotate', { newKey: crypto.randomBytes(32).toString('base64') });
  await call('vault/list');
  await stopCleanly(s);

  const secrets = [stored, instanceKey, `${instanceKey}-rotated`, `${instanceKey}-stale`, `${instanceKey}-refused`, `${stored}-refused`, envKey, vaultKey];
  const files = filesUnder(s.home);
  assert.ok(files.some((f) => path.basename(f) === 'vault.bin'));
  assert.ok(files.some((f) => path.basename(f) === 'plue.db'));
  for (const secret of secrets) {
    for (const file of files) assert.ok(!fs.readFileSync(file).includes(secret), `${path.basename(file)} holds a secret`);
    assert.ok(!s.stderr().includes(secret), 'stderr holds a secret');
    for (const answer of answers) assert.ok(!answer.includes(secret), `an answer holds a secret: ${answer}`);
  }
  assert.match(s.stderr(), /vault:\/\/anthropic\/work-anthropic stored/, 'the log names what changed, without values');
});

test('a vault opened with the wrong key is refused and left byte for byte as it was', async (t) => {
  const rightKey = crypto.randomBytes(32).toString('base64');
  const first = startSidecar({ env: { PLUE_VAULT_KEY: rightKey } });
  t.after(() => first.stop());
  await first.initialize();
  await first.connection.sendRequest('vault/store', { ref: 'vault://openai/work', value: 'sk-first' });
  await stopCleanly(first);
  const vaultFile = path.join(first.home, 'vault.bin');
  const before = fs.readFileSync(vaultFile);
  if (process.platform !== 'win32') assert.equal(fs.statSync(vaultFile).mode & 0o777, 0o600);

  // Neither a wrong home key nor a client key that did not write the vault opens it.
  const wrong = startSidecar({ home: first.home, env: { PLUE_VAULT_KEY: crypto.randomBytes(32).toString('base64') } });
  t.after(() => wrong.stop());
  await wrong.initialize({ vaultKey: crypto.randomBytes(32).toString('base64') });
  await assert.rejects(wrong.connection.sendRequest('vault/store', { ref: 'vault://openai/work', value: 'sk-second' }),
    (e) => e.code === -33004 && /cannot be opened with this key/.test(e.message) && /secrets are untouched/.test(e.message));
  const listed = await wrong.connection.sendRequest('instances/list');
  assert.ok(Array.isArray(listed), 'instances still list while the vault is locked');
  await stopCleanly(wrong);
  assert.deepEqual(fs.readFileSync(vaultFile), before);
  assert.ok(!fs.existsSync(path.join(first.home, 'vault.key')), 'a key from the environment is never written to the home');

  const right = startSidecar({ home: first.home, env: { PLUE_VAULT_KEY: rightKey } });
  t.after(() => right.stop());
  await right.initialize();
  assert.deepEqual(await right.connection.sendRequest('vault/has', { ref: 'vault://openai/work' }), { exists: true });
});

test('the home\'s key is a private vault.key made on first store, also when the client has a key of its own', async (t) => {
  const s = startSidecar({ env: { PLUE_VAULT_KEY: '' } });
  t.after(() => s.stop());
  const clientKey = crypto.randomBytes(32).toString('base64');
  await s.initialize({ vaultKey: clientKey });
  assert.deepEqual(await s.connection.sendRequest('vault/list'), []);
  assert.ok(!fs.existsSync(path.join(s.home, 'vault.key')), 'looking makes no key');
  await s.connection.sendRequest('vault/store', { ref: 'vault://ollama/none', value: 'x' });
  for (const name of ['vault.key', 'vault.bin']) {
    assert.ok(fs.existsSync(path.join(s.home, name)), name);
    if (process.platform !== 'win32') assert.equal(fs.statSync(path.join(s.home, name)).mode & 0o777, 0o600, name);
  }
  assert.notEqual(fs.readFileSync(path.join(s.home, 'vault.key'), 'ascii').trim(), clientKey, 'a new vault gets a key of its own');
});
