// Children die with the sidecar: kill -9 in the middle of a task whose bash command keeps writing stops that command
// (it runs in a process group of its own), and a killed sidecar's temp folder (an MCP config with a resolved secret)
// is removed by the next start, while a live sidecar's is left alone.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chatOn, descendants, fakeOpenAI, killedWithItsTree, scratch, startSidecar, until } from './support/processes.mjs';

const vaultKey = Buffer.alloc(32, 5).toString('base64');

test('kill -9 mid-task with a bash command running: the command and what it started stop writing', async (t) => {
  const dir = scratch(t);
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const ticks = path.join(workspace, 'ticks');
  // The command forks a writer and waits on it, as a build or a server would.
  const fake = await fakeOpenAI(t, ({ body }) => (body.includes('"tool"')
    ? { words: ['done'] }
    : { bash: `(while true; do echo tick >> ${ticks}; sleep 0.05; done) & wait` }));
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey, workspaceFolders: [workspace], trusted: true });
  const { instance } = await chatOn(s, fake.endpoint);
  await s.request('task/start', {
    templateId: 'task', prompt: 'work', providerRef: instance.ref, modelId: 'gpt-faults',
    fields: { available_tools: ['bash'], auto_approve: ['bash'] },
  });
  await until(() => fs.existsSync(ticks) && fs.readFileSync(ticks, 'utf8').length > 20, 'the command writing');
  await killedWithItsTree(s, ticks);
});

test('a killed sidecar\'s temp folder (with its MCP config) is removed at the next start; a live one\'s is kept', async (t) => {
  const home = path.join(scratch(t), 'home');
  const folder = (name) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plue-claude-${name}-`));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, 'mcp.json'), '{"mcpServers":{"x":{"env":{"TOKEN":"resolved-secret"}}}}', { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'owner.lock'), '', { mode: 0o600 });
    return dir;
  };
  const dead = folder('dead');
  const live = folder('live');
  // A live sidecar holds its folder's lock: flock(1) takes the same lock.
  const holder = spawn('flock', ['-x', path.join(live, 'owner.lock'), 'sleep', '60'], { stdio: 'ignore', detached: true });
  t.after(() => { try { process.kill(-holder.pid, 'SIGKILL'); } catch { /* gone */ } });
  await until(() => descendants(holder.pid).length > 0, 'the lock held');

  const s = startSidecar(t, { home });
  await s.initialize({ vaultKey });

  await until(() => !fs.existsSync(dead), 'the dead sidecar\'s temp folder removed');
  assert.ok(fs.existsSync(path.join(live, 'mcp.json')), 'a live sidecar\'s folder is kept');
});
