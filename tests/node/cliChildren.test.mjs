// The command line runs the whole sidecar in its own process, so what a task started there runs (its bash commands)
// dies with it as with the window's sidecar: even when `plue task run` is killed with SIGKILL and runs no code.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fakeProvider, lastMessage, vaultKey } from '../support/acp.mjs';
import { procView, scratch, startSidecar, until } from '../faults/support/processes.mjs';

const { sidecarCommand } = createRequire(import.meta.url)('./support/sidecar.js');

test('plue task run killed with SIGKILL mid-command leaves none of the commands its task started', { skip: process.platform !== 'linux' && 'reads /proc', timeout: 180_000 }, async (t) => {
  const dir = fs.realpathSync(scratch(t, 'plue-cli-children-'));
  const home = path.join(dir, 'home');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const provider = await fakeProvider(t, ({ messages }) => (lastMessage(messages).role === 'tool' ? { words: ['done'] }
    : { tool: 'bash', args: { command: 'sleep 307' } }));
  // The instance and a rule that lets the command run without a terminal to ask on, made through a sidecar on the home.
  const s = startSidecar(t, { home, env: { PLUE_VAULT_KEY: vaultKey } });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKey: 'loopback-cli-0123456789', defaultModel: 'gpt-cli' });
  await s.request('codex/create', { templateId: 'tool-grant', title: 'allow sleep', fields: { scope: 'workspace', folders: [workspace], tool: 'bash', command_prefix: 'sleep', decision: 'allow' } });
  await s.stop();

  const cli = spawn(...sidecarCommand('task', 'run', 'task', 'sleep a while', '-i', 'Loopback', '--trust', '--tools', 'bash'), {
    cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, PLUE_VAULT_KEY: vaultKey, PLUE_KEYCHAIN: 'off', PLUE_SANDBOX: 'off' },
  });
  let said = '';
  cli.stdout.on('data', (d) => { said += d; });
  cli.stderr.on('data', (d) => { said += d; });
  t.after(() => cli.kill('SIGKILL'));
  const sleeps = () => fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))
    .filter((pid) => procView(pid).cmdline.toString() === 'sleep\u0000307\u0000');
  await until(() => sleeps().length === 1, 'the task\'s sleep runs', 120_000, () => said);

  const exited = new Promise((resolve) => cli.once('exit', (code, signal) => resolve(signal)));
  cli.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', 'plue itself was killed, running no code');
  await until(() => sleeps().length === 0, 'the commands to end with plue', 10_000, () => sleeps().map((pid) => procView(pid).cmdline.toString()).join('\n'));
});
