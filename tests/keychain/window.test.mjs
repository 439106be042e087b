// End to end, against a real Secret Service (run through tests/keychain/run.sh): a provider added in the packaged
// extension in code-server leaves no vault.key in the home, its master key is the keychain's entry (found by
// `secret-tool search`), and `plue ask` in a terminal of the same desktop session opens that vault with no key given.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startFakeOpenAI } from '../e2e/support/fakeOpenAI.mjs';
import { fillAddProvider, openWorkbench, runCommand, saveScreenshot } from '../e2e/support/workbench.mjs';

const { sidecarCommand } = createRequire(import.meta.url)('../node/support/sidecar.js');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-keychain-e2e-'));
const workspace = path.join(scratch, 'project');
const home = path.join(scratch, 'plue-home');
const apiKey = 'gsk_keychain_e2e_key_456';
/** The desktop session a window and a terminal share: its bus (the keychain) and runtime folder. */
const session = { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '', XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '' };

let workbench;
let provider;

before(async () => {
  assert.ok(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through tests/keychain/run.sh (a private Secret Service)');
  fs.mkdirSync(workspace, { recursive: true });
  provider = await startFakeOpenAI({ respond: () => ({ text: 'Answered with the key the window stored.' }) });
  // No PLUE_VAULT_KEY and the keychain not turned off: the window finds the Secret Service as a desktop session has it.
  workbench = await openWorkbench({ scratch, folder: workspace, env: { ...session, PLUE_HOME: home, PLUE_VAULT_KEY: '', PLUE_KEYCHAIN: '' } });
}, { timeout: 150_000 });

after(async () => {
  await workbench?.close();
  await provider?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: 30_000 });

/** `plue <args>` from a terminal in the same session: no key of its own, the window's home. */
function plue(args) {
  const child = spawn(...sidecarCommand(...args), {
    cwd: workspace,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, ...session },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(timer);
    resolve({ code, stdout, stderr });
  }));
}

test('a provider added in the window: no vault.key in the home, the key in the keychain, and `plue ask` opens the same vault', { timeout: 240_000 }, async () => {
  const { page } = workbench;
  await runCommand(page, 'Plue: Add Provider Instance');
  await fillAddProvider(page, { provider: 'Groq', name: 'Keychain Groq', endpoint: provider.endpoint, key: apiKey });
  await page.locator('.notifications-toasts .notification-toast', { hasText: 'Keychain Groq works' }).waitFor({ timeout: 60_000 });
  await saveScreenshot(page, 'keychain-e2e-added.png');

  assert.ok(fs.existsSync(path.join(home, 'vault.bin')), 'the key was stored in the home\'s vault');
  assert.ok(!fs.existsSync(path.join(home, 'vault.key')), 'the home holds no vault.key: its master key is in the keychain');
  const items = execFileSync('secret-tool', ['search', '--all', 'home', home], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.match(items, /label = Plue vault key/);

  const asked = await plue(['ask', 'Which key opened this vault?', '-i', 'Keychain Groq']);
  assert.equal(asked.code, 0, asked.stderr);
  assert.equal(asked.stdout, 'Answered with the key the window stored.\n');
  assert.equal(provider.chats().at(-1).auth, `Bearer ${apiKey}`, 'the command line sent the key the window stored');
  const status = await plue(['status', '--json']);
  assert.equal(JSON.parse(status.stdout).vaultKey.store, 'keychain');
});
