// Input without bounds against the real processes: the command line's stdin and attached files, a template text
// over the loader's limit, lm/respond params nested past the parser's depth or sent twice under one requestId, and
// homes and numbers that are not what they should be. Each is refused at once in words that say what to do, with no
// .NET stack trace or type name, and nothing waits for ever.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sidecarCommand, scratch, startSidecar, frame } from './support/wire.mjs';
import { formats, opening, startFakeProvider, streamHead, textChunk, closing } from './support/fakeProvider.mjs';

const dotNet = /\n\s+at |System\.|Nullable`1|Exception:/;

/** `plue <args>` on its own home; `input` (a string, or a function given stdin) feeds stdin. Resolves {code, stdout, stderr, ms}. */
function plue(t, args, { input = '', timeoutMs = 60_000 } = {}) {
  const home = path.join(scratch(t), 'home');
  const started = Date.now();
  const child = spawn(...sidecarCommand(...args), {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, PLUE_VAULT_KEY: Buffer.alloc(32, 7).toString('base64') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdin.on('error', () => { /* it stopped reading: what the test wants */ });
  if (typeof input === 'function') input(child.stdin); else child.stdin.end(input);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.on('exit', (code, signal) => {
    clearTimeout(timer);
    resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
  }));
}

/** Writes 1 MiB blocks until `total` bytes or the reader leaves. */
function pipeMegabytes(total) {
  return (stdin) => {
    const block = Buffer.alloc(1024 * 1024, 'x');
    let sent = 0;
    const more = () => {
      while (sent < total) {
        sent += block.length;
        if (!stdin.write(block)) { stdin.once('drain', more); return; }
      }
      stdin.end();
    };
    more();
  };
}

test('plue ask: 60 MB on stdin is refused at once, with the cap and how to attach a file instead', { timeout: 90_000 }, async (t) => {
  const run = await plue(t, ['ask', 'sum this up'], { input: pipeMegabytes(60 * 1024 * 1024) });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /^plue: The input piped to plue ask is over 1 MiB, more than a question carries\. Save it to a file and attach the part that matters with -f <file>/, run.stderr);
  assert.doesNotMatch(run.stderr, dotNet);
});

for (const [what, target] of [['/dev/zero', () => '/dev/zero'], ['a FIFO', (dir) => { const p = path.join(dir, 'fifo'); execFileSync('mkfifo', [p]); return p; }],
  ['a folder', (dir) => dir]]) {
  test(`plue ask -f ${what} is refused at once: only regular files are attached`, { timeout: 60_000 }, async (t) => {
    const file = target(scratch(t));
    const run = await plue(t, ['ask', 'what is in it?', '-f', file], { timeoutMs: 30_000 });
    assert.equal(run.signal, null, `it ended by itself (a FIFO must not be waited on): ${run.stderr}`);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`^plue: Cannot attach '${file}': it is not a regular file .*-f attaches a regular file of up to 4 MiB`), run.stderr);
    assert.doesNotMatch(run.stderr, dotNet);
  });
}

test('plue ask -f: a file over 4 MiB is refused with the cap', { timeout: 60_000 }, async (t) => {
  const file = path.join(scratch(t), 'big.txt');
  fs.writeFileSync(file, Buffer.alloc(5 * 1024 * 1024, 'y'));
  const run = await plue(t, ['ask', 'read it', '-f', file]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /it is larger than 4 MiB\. -f attaches a regular file of up to 4 MiB/, run.stderr);
});

for (const home of ['/etc/hostname', '/dev/null', '/proc/self']) {
  test(`plue --home ${home}: one line that says what to do, no stack trace`, { timeout: 60_000 }, async (t) => {
    const run = await plue(t, ['--home', home, 'sessions', 'list']);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, new RegExp(`^plue: The Plue home ${home} (is a file, not a folder|cannot be made a private folder of yours).*Give a folder`), run.stderr);
    assert.doesNotMatch(run.stderr, dotNet);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  });
}

test('plue task resume --spend-cap NaN: says what an amount looks like, no .NET type', { timeout: 60_000 }, async (t) => {
  const run = await plue(t, ['task', 'resume', 'some-task', '--spend-cap', 'NaN']);
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /--spend-cap takes an amount in dollars, such as 5 or 2\.50; 'NaN' is not one\./, run.stderr);
  assert.doesNotMatch(run.stderr, dotNet);
});

test('templates/validate: a text over the loader\'s 1 MiB is said not to load', { timeout: 60_000 }, async (t) => {
  const s = startSidecar(t);
  await s.initialize();
  const file = path.join(s.home, 'templates', 'big.json5');
  const text = `{ id: "big", name: "Big", version: 1, description: "${'z'.repeat(10 * 1024 * 1024)}", fields: {} }`;

  const result = await s.request('templates/validate', { file, text }, 30_000);

  assert.equal(result.id ?? null, null, 'no id: the loader would not load it');
  assert.match(result.diagnostics[0].message, /not read: it is larger than 1024 KiB/);
});

test('lm/respond: a tool input nested past the limit is answered with an error under its id', { timeout: 60_000 }, async (t) => {
  const s = startSidecar(t);
  await s.initialize();
  const deep = '{"a":'.repeat(70) + '1' + '}'.repeat(70);
  const body = `{"jsonrpc":"2.0","id":9001,"method":"lm/respond","params":{"requestId":"deep","instanceId":"x","modelId":"m",`
    + `"messages":[{"role":"assistant","parts":[{"toolCall":{"callId":"c1","name":"t","input":${deep}}}]}]}}`;
  s.write(frame(Buffer.from(body)));

  const reply = await s.next((m) => m.id === 9001, 10_000, 'the answer to the deep lm/respond');
  assert.equal(reply.error.code, -32602);
  assert.match(reply.error.message, /^lm\/respond: the params are nested more than 64 levels deep/);
});

test('lm/respond: a second request under a requestId still being answered is refused; the first completes alone', { timeout: 60_000 }, async (t) => {
  let release;
  const held = new Promise((r) => { release = r; });
  const fake = await startFakeProvider(t, async (f, req, res) => {
    streamHead(res, f);
    res.write(opening(f) + textChunk(f, 'one'));
    await held;
    res.end(textChunk(f, ' answer') + closing(f));
  });
  const s = startSidecar(t);
  await s.initialize();
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: formats.openai.endpoint(fake.base), apiKey: 'sk-fault-0123456789' });
  const params = { requestId: 'same', instanceId: instance.id, modelId: 'gpt-fault', messages: [{ role: 'user', parts: [{ text: 'hi' }] }] };

  const first = s.call('lm/respond', params, 30_000);
  await s.next((m) => m.method === 'lm/responsePart' && m.params.requestId === 'same', 20_000, 'the first part');
  const second = await s.call('lm/respond', params, 10_000);
  release();

  assert.equal(second.error?.code, -32602, JSON.stringify(second));
  assert.match(second.error.message, /requestId: 'same' is already being answered; give each answer a requestId of its own/);
  assert.ok((await first).result, 'the first is answered');
  const parts = s.messages.filter((m) => m.method === 'lm/responsePart').map((m) => m.params.part.text).join('');
  assert.equal(parts, 'one answer', 'only the first answer\'s parts, once');
  assert.equal(fake.requests.length, 1);
});
