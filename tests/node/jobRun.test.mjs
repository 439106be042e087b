// `plue job run --bundle DIR --key-file PATH` (issue 72, items 3, 4 and 5): the built plue runs one sub-task from a task
// bundle made in a temp git repository, against a loopback OpenAI-compatible server, and tells everything as JSON lines
// on stdout (docs/JOB-EVENTS.md). Nothing else runs: no swarm, no window.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { sidecarCommand, root } = require('./support/sidecar');
const { startFakeOpenAI } = await import(path.join(root, 'tests', 'e2e', 'support', 'fakeOpenAI.mjs'));

const KEY = 'sk-job-secret-0123456789abcdef';

function git(cwd, ...args) {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@localhost', ...args], { cwd, encoding: 'utf8' }).trim();
}

/** A repository with one commit, its plue-start bundled into a task bundle folder with `task` as task.json. */
function taskBundle(t, task, { split = false } = {}) {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-job-test-'));
  t.after(() => fs.rmSync(top, { recursive: true, force: true }));
  const repo = path.join(top, 'repo');
  fs.mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main', '.');
  fs.writeFileSync(path.join(repo, 'README.md'), 'The project.\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'start');
  git(repo, 'branch', 'plue-start');
  const bundle = path.join(top, 'bundle');
  fs.mkdirSync(bundle);
  git(repo, 'bundle', 'create', '-q', path.join(top, 'start.bundle'), 'refs/heads/plue-start');
  const bytes = fs.readFileSync(path.join(top, 'start.bundle'));
  if (split) {
    // As Swarm configs carry it: pieces joined in order.
    const size = Math.ceil(bytes.length / 3);
    for (let i = 0; i * size < bytes.length; i++) fs.writeFileSync(path.join(bundle, `start.bundle.${i}`), bytes.subarray(i * size, (i + 1) * size));
  } else fs.writeFileSync(path.join(bundle, 'start.bundle'), bytes);
  fs.writeFileSync(path.join(bundle, 'task.json'), typeof task === 'string' ? task : JSON.stringify(task, null, 2));
  const keyFile = path.join(top, 'plue-key');
  fs.writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  return { top, repo, bundle, keyFile };
}

function taskJson(endpoint, extra = {}) {
  return {
    version: 1,
    brief: 'Write hello.txt and show it',
    model: { provider: 'openai', id: 'loop-1', name: 'Loopback', endpoint },
    tools: ['read', 'write', 'bash'],
    rules: [{ tool: 'write', decision: 'allow' }, { tool: 'bash', command_prefix: 'cat', decision: 'allow' }],
    spend_cap_usd: 1,
    ...extra,
  };
}

/** Runs the job; `watch(pid)` is called while it runs (once its first event is out). Resolves {code, lines, events, stdout, stderr, seen}. */
function runJob({ bundle, keyFile }, { watch } = {}) {
  const [command, args] = sidecarCommand('job', 'run', '--bundle', bundle, '--key-file', keyFile);
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let seen;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (watch && seen === undefined) seen = watch(child.pid);
  });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.on('exit', async (code) => {
    clearTimeout(timer);
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    const events = lines.map((line) => JSON.parse(line));
    resolve({ code, lines, events, stdout, stderr, seen: await seen });
  }));
}

/** A bundle's bytes from its chunks, in order, checked whole (index from 0, the last one marked). */
function rebuilt(events, name) {
  const chunks = events.filter((e) => e.kind === 'bundle' && e.name === name);
  assert.ok(chunks.length > 0, `no ${name} bundle`);
  chunks.forEach((c, i) => assert.equal(c.index, i));
  assert.deepEqual(chunks.map((c) => c.last), chunks.map((_, i) => i === chunks.length - 1));
  return Buffer.concat(chunks.map((c) => Buffer.from(c.data, 'base64')));
}

function pids(of) {
  const parents = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone meanwhile */ }
  }
  const found = [of];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid);
  return found;
}

function checkEnvelope(run) {
  run.events.forEach((e, i) => {
    assert.equal(e.plue, 1);
    assert.equal(e.seq, i + 1, 'seq from 1, no gap');
    assert.equal(typeof e.kind, 'string');
  });
  assert.equal(run.events.at(-1).kind, 'done', 'done is the last line');
  assert.equal(run.events.filter((e) => e.kind === 'done').length, 1);
}

test('item 3: a job runs its sub-task whole from a task bundle: it writes a file and runs bash, and the key is in no event, argv or environment', async (t) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  const fake = await startFakeOpenAI({
    authorize: (auth) => auth === `Bearer ${KEY}`,
    replies: [
      { toolCalls: [{ name: 'write', arguments: { path: 'hello.txt', content: 'hello from the job\n' } }], gapMs: 0 },
      { toolCalls: [{ name: 'bash', arguments: { command: 'cat hello.txt' } }], gapMs: 0, before: held },
      { text: 'Wrote hello.txt.', gapMs: 0 },
    ],
  });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint), { split: true });
  const run = await runJob(made, {
    watch: async (pid) => {
      // While it runs: every process of the job, its argv and environment.
      await new Promise((r) => setTimeout(r, 300));
      const seen = pids(pid).map((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') + fs.readFileSync(`/proc/${p}/environ`, 'utf8');
        } catch { return ''; }
      });
      release();
      return seen;
    },
  });
  assert.equal(run.code, 0, run.stderr);
  checkEnvelope(run);
  assert.deepEqual(run.events.at(-1), { plue: 1, seq: run.events.length, kind: 'done', status: 'complete' });
  assert.ok(run.seen.length >= 1);
  for (const text of [...run.seen, run.stdout, run.stderr]) assert.ok(!text.includes(KEY), 'the key is nowhere but the vault');
  assert.equal(fs.readFileSync(made.keyFile, 'utf8'), `${KEY}\n`, 'the key file is left as it was');
  assert.equal(fake.chats().length, 3);
  assert.ok(fake.chats().every((r) => r.auth === `Bearer ${KEY}`), 'the key reached the provider');

  const tools = run.events.filter((e) => e.kind === 'tool');
  assert.deepEqual(tools.map((e) => [e.name, e.phase]), [['write', 'started'], ['write', 'finished'], ['bash', 'started'], ['bash', 'finished']]);
  assert.equal(tools[2].summary, 'bash cat hello.txt');
  const bashResult = run.events.find((e) => e.kind === 'part' && e.part.kind === 'tool_result' && e.part.name === 'bash');
  assert.match(JSON.stringify(bashResult.part), /hello from the job/);
});

test('item 4: every line is one event in order, cost is told with its source, and the result bundle rebuilt from its chunks fetches as a branch with the change', async (t) => {
  const fake = await startFakeOpenAI({
    replies: [
      { toolCalls: [{ name: 'write', arguments: { path: 'src/new.txt', content: 'new file\n' } }], gapMs: 0 },
      { text: 'Done.', gapMs: 0 },
    ],
  });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint));
  const run = await runJob(made);
  assert.equal(run.code, 0, run.stderr);
  checkEnvelope(run);
  assert.equal(run.events[0].kind, 'status');
  assert.equal(run.events[0].state, 'running');
  assert.deepEqual(run.events.filter((e) => e.kind === 'status').map((e) => e.state), ['running', 'complete']);
  const text = run.events.filter((e) => e.kind === 'part' && e.part.kind === 'text').map((e) => e.part.text);
  assert.ok(text.includes('Done.'), JSON.stringify(text));
  const costs = run.events.filter((e) => e.kind === 'cost');
  assert.ok(costs.length >= 1);
  const last = costs.at(-1);
  assert.equal(last.input_tokens, 24000, 'two calls of 12000 input tokens, cumulative');
  assert.equal(last.output_tokens, 8000);
  assert.ok(['provider', 'catalog', 'none'].includes(last.source));
  assert.ok(run.events.every((e) => e.kind !== 'bundle' || e.data.length <= Math.ceil((48 * 1024) / 3) * 4));

  const bundleFile = path.join(made.top, 'result.bundle');
  fs.writeFileSync(bundleFile, rebuilt(run.events, 'result'));
  git(made.repo, 'fetch', '-q', bundleFile, 'refs/heads/plue-result:refs/heads/sub-task');
  assert.equal(git(made.repo, 'show', 'sub-task:src/new.txt'), 'new file');
  assert.equal(git(made.repo, 'merge-base', 'sub-task', 'main'), git(made.repo, 'rev-parse', 'main'), 'the branch grows from the starting point');
});

test('item 5: a call the rules would ask about ends the job waiting with its state; a second run with resume and the answer finishes from there', async (t) => {
  const fake = await startFakeOpenAI({
    respond: (_body, index) => [
      { toolCalls: [{ name: 'write', arguments: { path: 'first.txt', content: 'before the pause\n' } }], gapMs: 0 },
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch second.txt' } }], gapMs: 0 },
      // The resumed run: the call it stopped at has run (the user allowed it) before the model is asked again.
      { text: 'Both written.', gapMs: 0 },
    ][index] ?? { text: 'ASKED-TOO-OFTEN', gapMs: 0 },
  });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint));
  const paused = await runJob(made);
  assert.equal(paused.code, 0, paused.stderr);
  checkEnvelope(paused);
  const waiting = paused.events.find((e) => e.kind === 'waiting');
  assert.ok(waiting, JSON.stringify(paused.events.map((e) => e.kind)));
  assert.equal(waiting.tool, 'bash');
  assert.equal(waiting.summary, 'bash touch second.txt');
  assert.ok(waiting.call_id.length > 0);
  const kinds = paused.events.map((e) => e.kind);
  assert.ok(kinds.indexOf('waiting') < kinds.indexOf('bundle'), 'the state follows the waiting event');
  assert.deepEqual(paused.events.at(-1), { plue: 1, seq: paused.events.length, kind: 'done', status: 'waiting-approval' });
  assert.ok(paused.events.some((e) => e.kind === 'status' && e.state === 'waiting-approval'));
  assert.ok(!paused.events.some((e) => e.kind === 'tool' && e.name === 'bash' && e.phase !== 'started'), 'the asked call neither ran nor was denied');
  assert.equal(fake.chats().length, 2, 'no model call after the pause');

  // The host sends the saved state and transcript back with the user's answer.
  fs.writeFileSync(path.join(made.bundle, 'state.bundle'), rebuilt(paused.events, 'state'));
  fs.writeFileSync(path.join(made.bundle, 'transcript.json'), rebuilt(paused.events, 'transcript'));
  fs.rmSync(path.join(made.bundle, 'start.bundle'));
  fs.writeFileSync(path.join(made.bundle, 'task.json'), JSON.stringify(taskJson(fake.endpoint, { resume: { transcript: 'transcript.json', state: 'state.bundle', answer: 'allow' } })));
  const resumed = await runJob(made);
  assert.equal(resumed.code, 0, resumed.stderr);
  checkEnvelope(resumed);
  assert.equal(resumed.events.at(-1).status, 'complete');
  assert.deepEqual(resumed.events.filter((e) => e.kind === 'tool').map((e) => [e.name, e.phase]), [['bash', 'started'], ['bash', 'finished']]);
  assert.equal(fake.chats().length, 3, 'the answered call ran without the model being asked to make it again');
  const told = JSON.stringify(fake.chats()[2].body.messages);
  assert.match(told, /before the pause|first\.txt/, 'the resumed model call carries the saved transcript');
  const results = fake.chats()[2].body.messages.filter((m) => m.role === 'tool');
  assert.equal(results.length, 2, `one result per call, the pause's stand-in gone: ${JSON.stringify(results)}`);
  assert.doesNotMatch(told, /stopped to wait|did not finish/, 'the stand-in result of the paused call is not what the model reads');
  const parts = resumed.events.filter((e) => e.kind === 'part' && e.part.kind === 'tool_result' && e.part.name === 'bash');
  assert.ok(parts.length >= 1 && parts.every((e) => !e.part.isError), JSON.stringify(parts));

  const bundleFile = path.join(made.top, 'result.bundle');
  fs.writeFileSync(bundleFile, rebuilt(resumed.events, 'result'));
  git(made.repo, 'fetch', '-q', bundleFile, 'refs/heads/plue-result:refs/heads/sub-task');
  assert.equal(git(made.repo, 'show', 'sub-task:first.txt'), 'before the pause', 'the work before the pause comes back');
  assert.equal(git(made.repo, 'ls-tree', '--name-only', 'sub-task', 'second.txt'), 'second.txt', 'and the call answered after it ran');
});

test('item 5: a call the user refused: the resumed job answers it as refused, without running it, and the model goes on from there', async (t) => {
  const fake = await startFakeOpenAI({
    respond: (_body, index) => [
      { toolCalls: [{ name: 'bash', arguments: { command: 'touch refused.txt' } }], gapMs: 0 },
      { text: 'Left it alone.', gapMs: 0 },
    ][index] ?? { text: 'ASKED-TOO-OFTEN', gapMs: 0 },
  });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint));
  const paused = await runJob(made);
  assert.equal(paused.code, 0, paused.stderr);
  assert.equal(paused.events.at(-1).status, 'waiting-approval');
  fs.writeFileSync(path.join(made.bundle, 'state.bundle'), rebuilt(paused.events, 'state'));
  fs.writeFileSync(path.join(made.bundle, 'transcript.json'), rebuilt(paused.events, 'transcript'));
  fs.rmSync(path.join(made.bundle, 'start.bundle'));
  fs.writeFileSync(path.join(made.bundle, 'task.json'), JSON.stringify(taskJson(fake.endpoint, { resume: { transcript: 'transcript.json', state: 'state.bundle', answer: 'deny' } })));
  const resumed = await runJob(made);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(resumed.events.at(-1).status, 'complete');
  assert.deepEqual(resumed.events.filter((e) => e.kind === 'tool').map((e) => [e.name, e.phase]), [['bash', 'started'], ['bash', 'denied']], 'told as any call the rules stop is: started, then denied');
  assert.equal(fake.chats().length, 2, 'asked once after the refusal');
  assert.match(JSON.stringify(fake.chats()[1].body.messages.filter((m) => m.role === 'tool')), /refused/i, 'the model reads that the user refused it');
  const bundleFile = path.join(made.top, 'result.bundle');
  fs.writeFileSync(bundleFile, rebuilt(resumed.events, 'result'));
  git(made.repo, 'fetch', '-q', bundleFile, 'refs/heads/plue-result:refs/heads/sub-task');
  assert.equal(git(made.repo, 'ls-tree', '--name-only', 'sub-task', 'refused.txt'), '', 'the refused command did not run');
});

test('item 4: a provider that refuses the key (401) ends the job with done error in one line', async (t) => {
  const fake = await startFakeOpenAI({ authorize: () => false, replies: [{ text: 'never' }] });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint));
  const run = await runJob(made);
  assert.notEqual(run.code, 0);
  checkEnvelope(run);
  const done = run.events.at(-1);
  assert.equal(done.status, 'error');
  assert.match(done.error, /rejected the API key \(HTTP 401\).*'Loopback'/, 'the instance by the name the user gave it');
  assert.ok(!done.error.includes('\n'));
  assert.ok(!run.stdout.includes(KEY) && !run.stderr.includes(KEY));
});

test('item 3: a task.json that cannot be run ends the job with done error saying what to change, in one line', async (t) => {
  const made = taskBundle(t, { version: 1, brief: 'x', model: { provider: 'openai', id: 'loop-1' }, tools: ['write', 'launch_missiles'] });
  const run = await runJob(made);
  assert.equal(run.code, 1);
  checkEnvelope(run);
  assert.deepEqual(run.events.map((e) => e.kind), ['status', 'done']);
  assert.match(run.events.at(-1).error, /^task\.json names the tool 'launch_missiles', which a job cannot use: use /);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);

  fs.rmSync(made.keyFile);
  fs.writeFileSync(path.join(made.bundle, 'task.json'), JSON.stringify(taskJson('http://127.0.0.1:9/v1')));
  const keyless = await runJob(made);
  assert.equal(keyless.code, 1);
  assert.match(keyless.events.at(-1).error, /^The provider's key could not be read from .*: give the job its key as a secret, or name the file with --key-file\.$/);
});

test('item 5: a job stopped mid-run (SIGTERM, as a service removed) ends cancelled with its state and transcript, so it can run again from there', async (t) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  t.after(() => release());
  const fake = await startFakeOpenAI({
    replies: [
      { toolCalls: [{ name: 'write', arguments: { path: 'kept.txt', content: 'kept\n' } }], gapMs: 0 },
      { text: 'never finished', gapMs: 0, before: held },
    ],
  });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint));
  const [command, args] = sidecarCommand('job', 'run', '--bundle', made.bundle, '--key-file', made.keyFile);
  const child = spawn(command, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.stdout.on('data', (d) => { stdout += d; });
  const deadline = Date.now() + 60_000;
  while (fake.chats().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGTERM');
  const code = await exited;
  const events = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.notEqual(code, 0, stderr);
  checkEnvelope({ events });
  assert.deepEqual(events.at(-1), { plue: 1, seq: events.length, kind: 'done', status: 'cancelled' });
  const transcript = JSON.parse(rebuilt(events, 'transcript').toString('utf8'));
  assert.ok(transcript.some((m) => m.parts.some((p) => p.kind === 'tool_result' && p.name === 'write')));
  const stateFile = path.join(made.top, 'state.bundle');
  fs.writeFileSync(stateFile, rebuilt(events, 'state'));
  git(made.repo, 'fetch', '-q', stateFile, 'refs/heads/plue-state:refs/heads/saved');
  assert.equal(git(made.repo, 'show', 'saved:kept.txt'), 'kept');
});

test('item 3: a job killed with SIGKILL mid-command leaves none of its processes behind', async (t) => {
  const fake = await startFakeOpenAI({ replies: [{ toolCalls: [{ name: 'bash', arguments: { command: 'sleep 300' } }], gapMs: 0 }, { text: 'never', gapMs: 0 }] });
  t.after(() => fake.close());
  const made = taskBundle(t, taskJson(fake.endpoint, { rules: [{ tool: 'bash', command_prefix: 'sleep' }], sandbox: 'sandbox-off' }));
  const [command, args] = sidecarCommand('job', 'run', '--bundle', made.bundle, '--key-file', made.keyFile);
  const child = spawn(command, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => { stdout += d; });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const sleeping = () => pids(child.pid).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('sleep\u0000300'); } catch { return false; }
  });
  const deadline = Date.now() + 60_000;
  while (sleeping().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const family = pids(child.pid).filter((p) => p !== child.pid);
  // On a failure, what was left is ended here, by its pids.
  t.after(() => family.forEach((p) => { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }));
  assert.ok(sleeping().length > 0, `the command never started\n${stdout}`);
  child.kill('SIGKILL');
  await exited;
  const alive = () => family.filter((p) => fs.existsSync(`/proc/${p}`) && !fs.readFileSync(`/proc/${p}/stat`, 'utf8').includes(') Z '));
  for (const end = Date.now() + 10_000; alive().length > 0 && Date.now() < end;) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(alive(), [], 'the job\'s command and sandbox died with it');
});
