// The vault's master key in the OS keychain, against a real Secret Service (GNOME Keyring on a private bus: run
// through tests/keychain/run.sh). The window's sidecar and the `plue` command line find the same key, an old home's
// vault.key moves into the keychain, and where no keychain answers the key file is used and status says why.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { plue, tempHome } = require('../node/support/plue');
const { startSidecar, within } = require('../node/support/sidecar');

const apiKey = 'sk-keychain-0123456789abcdef';
/** The session's bus, as a terminal in the desktop session has it. */
const session = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '', XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '' };
const withKeychain = { ...session, PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: '' };
const cli = (args, home, env = {}) => plue(args, { home, env: { ...withKeychain, ...env } });

/** What the keychain holds for a home's slot ('' when nothing), read with libsecret's own tool. */
function keychainEntry(home, slot = 'key') {
  try {
    return execFileSync('secret-tool', ['lookup', 'home', home, 'slot', slot], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** The items `secret-tool search` finds for a home: their labels, and the schema the attributes are read with. */
function keychainItems(home) {
  return execFileSync('secret-tool', ['search', '--all', 'home', home], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function stopCleanly(s) {
  await s.connection.sendRequest('shutdown');
  await s.connection.sendNotification('exit');
  await within(5000, s.exited, 'exit');
}

test.before(() => assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through tests/keychain/run.sh (a private Secret Service)'));

test('a new home keeps its key in the keychain, no vault.key, and `plue` in another process opens the same vault', async (t) => {
  const home = tempHome();
  const window = startSidecar({ home, env: { ...withKeychain, PLUE_LOG_LEVEL: 'Trace' } });
  t.after(() => window.stop());
  await window.initialize({ vaultKey: crypto.randomBytes(32).toString('base64') });
  await window.connection.sendRequest('vault/store', { ref: 'vault://openai/api_key', value: apiKey });

  const status = await window.connection.sendRequest('plue/status');
  assert.equal(status.vaultKey.store, 'keychain');
  assert.match(status.vaultKey.description, /OS keychain \(the Secret Service\)/);
  await stopCleanly(window);

  assert.ok(fs.existsSync(path.join(home, 'vault.bin')));
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')), 'the home holds no key');
  const key = keychainEntry(home);
  assert.equal(Buffer.from(key, 'base64').length, 32, 'the keychain holds the 32-byte key');
  assert.match(keychainItems(home), /label = Plue vault key/);
  assert.match(keychainItems(home), /schema = dev\.plue\.VaultKey/);
  assert.ok(!window.stderr().includes(key), 'the key is in no log line');

  const listed = await cli(['instances', 'list', '--json'], home);
  assert.equal(listed.code, 0, listed.stderr);
  const stat = await cli(['status'], home);
  assert.equal(stat.code, 0, stat.stderr);
  assert.match(stat.stdout, /vault key +in the OS keychain \(the Secret Service\)/);
  // The command line resolves the secret the window stored: a key in another vault would not be found.
  const has = await cli(['status', '--json'], home);
  assert.equal(JSON.parse(has.stdout).vaultKey.store, 'keychain');
  const again = startSidecar({ home, env: withKeychain });
  t.after(() => again.stop());
  await again.initialize();
  assert.deepEqual(await again.connection.sendRequest('vault/has', { ref: 'vault://openai/api_key' }), { exists: true });
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')));
});

test('a key the command line stores opens in the window: one home, one keychain entry', async (t) => {
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Made in a terminal', '--endpoint', 'http://127.0.0.1:9', '-m', 'loop-1', '--key-stdin'],
    { home, input: `${apiKey}\n`, env: withKeychain });
  assert.equal(added.code, 0, added.stderr);
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')));
  assert.ok(keychainEntry(home));

  const window = startSidecar({ home, env: withKeychain });
  t.after(() => window.stop());
  await window.initialize();
  const listed = await window.connection.sendRequest('instances/list');
  assert.equal(listed.find((i) => i.displayName === 'Made in a terminal').hasKey, true);
});

test('an old home with vault.key moves its key into the keychain on first open, removes the file, and still opens', async (t) => {
  const home = tempHome();
  // Made where no keychain answered (or by an earlier Plue): the key in a 0600 vault.key beside vault.bin.
  const made = await plue(['instances', 'add', 'openai', '--name', 'Old home', '--endpoint', 'http://127.0.0.1:9', '-m', 'loop-1', '--key-stdin'],
    { home, input: `${apiKey}\n`, env: { PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: 'off' } });
  assert.equal(made.code, 0, made.stderr);
  const fileKey = fs.readFileSync(path.join(home, 'vault.key'), 'ascii').trim();
  assert.equal(keychainEntry(home), '');

  const window = startSidecar({ home, env: withKeychain });
  t.after(() => window.stop());
  await window.initialize();
  const listed = await window.connection.sendRequest('instances/list');
  assert.equal(listed.find((i) => i.displayName === 'Old home').hasKey, true);
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')), 'the key file is removed');
  assert.equal(keychainEntry(home), fileKey, 'the keychain holds the same key');
  assert.match(window.stderr(), /moved from \$PLUE_HOME\/vault\.key into the Secret Service/);
  await stopCleanly(window);

  const listedByCli = await cli(['instances', 'list', '--json'], home);
  assert.equal(listedByCli.code, 0, listedByCli.stderr);
  assert.equal(JSON.parse(listedByCli.stdout).find((i) => i.displayName === 'Old home').hasKey, true);
});

test('without a Secret Service the key file is used, 0600, and status and `plue status` say why', async (t) => {
  const home = tempHome();
  const noBus = { PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: '', DBUS_SESSION_BUS_ADDRESS: '', XDG_RUNTIME_DIR: '' };
  const window = startSidecar({ home, env: noBus });
  t.after(() => window.stop());
  await window.initialize();
  await window.connection.sendRequest('vault/store', { ref: 'vault://openai/api_key', value: apiKey });
  const status = await window.connection.sendRequest('plue/status');
  assert.equal(status.vaultKey.store, 'file');
  assert.match(status.vaultKey.description, /vault\.key \(readable by you only\); no OS keychain: no D-Bus session bus/);
  const keyFile = path.join(home, 'vault.key');
  assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(keychainEntry(home), '', 'nothing went to the keychain');

  const stat = await plue(['status'], { home, env: noBus });
  assert.equal(stat.code, 0, stat.stderr);
  assert.match(stat.stdout, /vault key +in .*vault\.key \(readable by you only\); no OS keychain/);
  assert.equal(stat.stderr, '', 'no keychain is normal here: no warning on every command');
});

test('a locked keyring is not asked (no prompt, no hang): the key file is used and the reason is told', async (t) => {
  const home = tempHome();
  // A keyring daemon of its own, never unlocked, on a bus of its own: its default keyring is locked.
  const scratch = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'plue-locked-'));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  const { spawn } = require('node:child_process');
  const env = { ...process.env, XDG_DATA_HOME: path.join(scratch, 'data'), XDG_RUNTIME_DIR: path.join(scratch, 'run') };
  fs.mkdirSync(env.XDG_DATA_HOME);
  fs.mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700 });
  // A login keyring with one secret, then the daemon restarted without its password: the keyring stays locked.
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => bus.kill());
  env.DBUS_SESSION_BUS_ADDRESS = await new Promise((resolve) => bus.stdout.once('data', (d) => resolve(d.toString().trim())));
  const unlocked = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'ignore'] });
  unlocked.stdin.end('pw');
  await new Promise((resolve) => setTimeout(resolve, 500));
  execFileSync('secret-tool', ['store', '--label=other', 'app', 'other'], { env, input: 'x' });
  unlocked.kill();
  await new Promise((resolve) => unlocked.once('exit', resolve));
  const locked = spawn('gnome-keyring-daemon', ['--foreground', '--components=secrets'], { env, stdio: 'ignore' });
  t.after(() => locked.kill());
  await new Promise((resolve) => setTimeout(resolve, 500));

  const window = startSidecar({ home, env: { PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: '', DBUS_SESSION_BUS_ADDRESS: env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: env.XDG_RUNTIME_DIR } });
  t.after(() => window.stop());
  await window.initialize();
  await window.connection.sendRequest('vault/store', { ref: 'vault://openai/api_key', value: apiKey });
  const status = await window.connection.sendRequest('plue/status');
  assert.equal(status.vaultKey.store, 'file');
  assert.match(status.vaultKey.description, /default keyring of the Secret Service is locked \(unlock it/);
  assert.ok(fs.existsSync(path.join(home, 'vault.key')));
  assert.match(window.stderr(), /Secret Service cannot be used \(the default keyring .* is locked/);
});
