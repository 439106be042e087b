// The vault under faults: kill -9 in the middle of vault/rotate (the key from $PLUE_HOME/vault.key) never leaves a
// vault no key opens, and a vault.bin that is a folder is said to be one, never read as an empty vault.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scratch, startSidecar } from './support/processes.mjs';

// No key from the client or the environment: the key file is the source, as on the command line.
const noEnvKey = { PLUE_VAULT_KEY: '' };

/** The entries of vault.bin decrypted with the key in vault.key (the file format of server/Vault/VaultFormat.cs). */
function readVault(home) {
  const key = Buffer.from(fs.readFileSync(path.join(home, 'vault.key'), 'ascii').trim(), 'base64');
  const file = fs.readFileSync(path.join(home, 'vault.bin'));
  const header = file.subarray(0, 13);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, file.subarray(13, 25));
  decipher.setAAD(header);
  decipher.setAuthTag(file.subarray(25, 41));
  return JSON.parse(Buffer.concat([decipher.update(file.subarray(41)), decipher.final()]).toString('utf8')).entries;
}

test('kill -9 during vault/rotate, 25 times at different moments: every next start opens the vault with the secret intact', async (t) => {
  const home = path.join(scratch(t), 'home');
  let s = startSidecar(t, { home, env: noEnvKey });
  await s.initialize();
  await s.request('vault/store', { ref: 'vault://openai/api_key', value: 'sk-rotate-secret-0123456789' });
  const outcomes = { killedBeforeTheNewVault: 0, killedAfterIt: 0 };
  for (let run = 0; run < 25; run++) {
    const before = fs.readFileSync(path.join(home, 'vault.bin'));
    const newKey = crypto.randomBytes(32).toString('base64');
    // Odd runs: killed the moment vault.bin is replaced (between it and the key file); even runs: 0-24 ms after asking.
    const killed = new Promise((resolve) => {
      if (run % 2 === 1) {
        const watcher = fs.watch(home, (_, name) => { if (name === 'vault.bin') { s.child.kill('SIGKILL'); watcher.close(); resolve(); } });
        s.exited.then(() => { watcher.close(); resolve(); });
      } else {
        setTimeout(() => { s.child.kill('SIGKILL'); resolve(); }, run);
      }
    });
    s.request('vault/rotate', { newKey }).catch(() => { /* killed */ });
    await killed;
    await s.exited;
    outcomes[fs.readFileSync(path.join(home, 'vault.bin')).equals(before) ? 'killedBeforeTheNewVault' : 'killedAfterIt']++;

    s = startSidecar(t, { home, env: noEnvKey });
    await s.initialize();
    assert.deepEqual(await s.request('vault/has', { ref: 'vault://openai/api_key' }), { exists: true }, `run ${run}: the vault opens after the kill`);
    assert.deepEqual(readVault(home), { 'openai/api_key': 'sk-rotate-secret-0123456789' }, `run ${run}: vault.key opens vault.bin, the secret intact`);
    assert.ok(!fs.existsSync(path.join(home, 'vault.key.new')), `run ${run}: no staged key is left behind`);
  }
  await s.stop();
  t.diagnostic(`kill -9 mid-rotate: ${JSON.stringify(outcomes)}, 0 unrecoverable of 25`);
  assert.ok(outcomes.killedAfterIt > 0, 'some kills landed after vault.bin was re-encrypted (the case that lost the key)');
});

test('vault.bin that is a folder: vault/has and vault/store say so and what to do, and nothing is written', async (t) => {
  const home = path.join(scratch(t), 'home');
  fs.mkdirSync(path.join(home, 'vault.bin'), { recursive: true });
  const s = startSidecar(t, { home, env: noEnvKey });
  await s.initialize({ vaultKey: Buffer.alloc(32, 9).toString('base64') });

  for (const [method, params] of [['vault/has', { ref: 'vault://openai/api_key' }], ['vault/store', { ref: 'vault://openai/api_key', value: 'sk-x-0123456789' }], ['vault/list', {}]]) {
    const error = await s.request(method, params).then(() => null, (e) => e);
    assert.ok(error, `${method} must fail, not answer as if the vault were empty`);
    assert.equal(error.code, -33004, `${method}: the vault's error code`);
    assert.match(error.message, /is a folder, not a file/, `${method}: says what is wrong`);
    assert.match(error.message, /Move that folder aside.*vault\.bin\.bak/, `${method}: says what to do`);
  }
  assert.ok(fs.statSync(path.join(home, 'vault.bin')).isDirectory());
  assert.deepEqual(fs.readdirSync(path.join(home, 'vault.bin')), []);
});

// Issue 46: in an SSH session without a keychain, status said the key was in vault.key before any such file existed.
test('without a keychain and before any secret, status says there is no key yet, never a vault.key that is not there', async (t) => {
  const home = path.join(scratch(t), 'home');
  const noBus = { PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: '', DBUS_SESSION_BUS_ADDRESS: '', XDG_RUNTIME_DIR: '' };
  const s = startSidecar(t, { home, env: noBus });
  await s.initialize();
  const before = await s.request('plue/status', {});
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')), 'no key file yet');
  assert.match(before.vaultKey.description, /^none yet: made in .*vault\.key \(readable by you only\) when the first secret is stored; no OS keychain: /, before.vaultKey.description);
  await s.request('vault/store', { ref: 'vault://openai/api_key', value: 'sk-status-0123456789' });
  const after = await s.request('plue/status', {});
  assert.ok(fs.existsSync(path.join(home, 'vault.key')), 'the key file now exists');
  assert.match(after.vaultKey.description, /^in .*vault\.key \(readable by you only\); no OS keychain: /, after.vaultKey.description);
});
