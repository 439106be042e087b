// `plue task run --in-container [--engine NAME]` through the real command line and sidecar: the task's record says
// it runs in a container (runs: container) on the named engine (engine: its name); an unknown engine name fails on
// one line naming what to do, before any task is made.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { plue, tempHome } = require('./support/plue');
const { startSidecar, root } = require('./support/sidecar');
const fakeOpenAI = async (options) => (await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'))).startFakeOpenAI(options);

async function setUp(t) {
  const fake = await fakeOpenAI({ replies: [{ text: 'Done.' }] });
  t.after(() => fake.close());
  const home = tempHome();
  const added = await plue(['instances', 'add', 'openai', '--name', 'Loopback', '--endpoint', fake.endpoint, '-m', 'loop-1', '--key-stdin'], { home, input: 'sk-container-0123456789\n' });
  assert.equal(added.code, 0, added.stderr);
  return home;
}

/** The task records in the home, read by a sidecar of its own once the command has ended. */
async function tasks(t, home) {
  const sidecar = startSidecar({ home });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  return (await sidecar.connection.sendRequest('codex/list', { templateId: 'task', limit: 50 })).items;
}

test('item 6: plue task run --in-container --engine NAME: the record runs in a container on that engine, by its name', async (t) => {
  const home = await setUp(t);
  const engine = await plue(['engines', 'add', 'Build box', '--host', `unix://${home}/build-box.sock`], { home });
  assert.equal(engine.code, 0, engine.stderr);

  // The task's own outcome is the runner's; the record is this command's.
  await plue(['task', 'run', 'task', 'Count the files', '--in-container', '--engine', 'build BOX'], { home, timeoutMs: 120_000 });
  await plue(['task', 'run', 'task', 'Count them again', '--in-container'], { home, timeoutMs: 120_000 });
  await plue(['task', 'run', 'task', 'Count them here'], { home, timeoutMs: 120_000 });

  const byGoal = Object.fromEntries((await tasks(t, home)).map((r) => [r.fields.goal, r.fields]));
  assert.equal(byGoal['Count the files'].runs, 'container');
  assert.equal(byGoal['Count the files'].engine, 'Build box', 'the engine by its name as the user gave it, in its own case');
  assert.equal(byGoal['Count them again'].runs, 'container');
  assert.equal(byGoal['Count them again'].engine, undefined, 'no engine named: this machine\'s');
  assert.equal(byGoal['Count them here'].runs, 'local', 'the template\'s default');
  assert.equal(byGoal['Count them here'].engine, undefined);
});

test('item 6: plue task run --engine with an unknown name fails on one line saying what to do, and makes no task', async (t) => {
  const home = await setUp(t);
  const none = await plue(['task', 'run', 'task', 'Count the files', '--engine', 'Nope'], { home });
  assert.equal(none.code, 2);
  assert.equal(none.stderr.trim(), 'plue: No Docker engine is called \'Nope\'. None is added yet: `plue engines add Local` adds this machine\'s.');

  await plue(['engines', 'add', 'Local'], { home });
  const unknown = await plue(['task', 'run', 'task', 'Count the files', '--in-container', '--engine', 'Nope'], { home });
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr.trim(), 'plue: No Docker engine is called \'Nope\'. Known: Local (`plue engines list`).');
  assert.deepEqual(await tasks(t, home), [], 'no task was made');
});
