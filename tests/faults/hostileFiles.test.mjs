// Hostile files in template and prompt folders (the user's PLUE_HOME and a trusted workspace's .plue/): a link to
// /dev/zero, a FIFO, a link leading outside the folder. Each is reported and skipped; everything else keeps working.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { scratch, startSidecar, record } from './support/wire.mjs';

const goodTemplate = (id) => `{ id: "${id}", name: "Fine ${id}", description: "A template next to hostile files.", version: 1, parent_template: "task" }\n`;

/** Plants the three hostile entries plus one good file in `dir`; the outside target is a valid file of its own. */
function plant(dir, ext, good, outsideText) {
  fs.mkdirSync(dir, { recursive: true });
  fs.symlinkSync('/dev/zero', path.join(dir, `zero.${ext}`));
  execFileSync('mkfifo', [path.join(dir, `pipe.${ext}`)]);
  const outside = path.join(path.dirname(path.dirname(dir)), `outside-${ext}`);
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(path.join(outside, `leak.${ext}`), outsideText);
  fs.symlinkSync(path.join(outside, `leak.${ext}`), path.join(dir, `leak.${ext}`));
  fs.writeFileSync(path.join(dir, `fine.${ext}`), good);
}

// /dev/zero lies outside any folder, so confinement refuses its link before the type is even looked at.
const hostile = (ext) => [[`zero.${ext}`, /leads outside/], [`pipe.${ext}`, /not a regular file/], [`leak.${ext}`, /leads outside/]];

const homeAndWorkspace = [['the user\'s PLUE_HOME', 'home'], ['a trusted workspace\'s .plue', 'workspace']];

for (const [where, kind] of homeAndWorkspace) {
  test(`templates in ${where}: /dev/zero, a FIFO and a link outside are reported, the rest loads`, { timeout: 90_000 }, async (t) => {
    const base = scratch(t);
    const home = path.join(base, 'home');
    const workspace = path.join(base, 'project');
    fs.mkdirSync(workspace, { recursive: true });
    const dir = kind === 'home' ? path.join(home, 'templates') : path.join(workspace, '.plue', 'templates');
    plant(dir, 'json5', goodTemplate('fine'), goodTemplate('leak'));
    const s = startSidecar(t, { home });
    await s.initialize({ workspaceFolders: [workspace], trusted: true });

    const list = await s.request('templates/list', {}, 20_000);
    const byFile = (name) => list.find((f) => f.file.endsWith(`${path.sep}${name}`));
    for (const [name, why] of hostile('json5')) {
      const file = byFile(name);
      assert.ok(file, `${name} is listed`);
      assert.equal(file.usable, false, `${name} is not usable`);
      assert.match(file.problems.join('\n'), why, `${name}: ${file.problems.join('; ')}`);
    }
    assert.equal(byFile('fine.json5')?.usable, true, 'the good template next to them loads');
    // Everything that depends on templates keeps working: a shipped template, and a record made from one.
    assert.equal((await s.request('templates/get', { id: 'fine' })).id, 'fine');
    await assert.rejects(s.request('templates/get', { id: 'leak' }), /leak/);
    const instance = await s.request('instances/create', { displayName: 'Still works', catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1', apiKey: 'sk-fault-0123456789' });
    assert.ok(instance.id);
    record(t, `templates in ${kind}: memory after ${JSON.stringify(s.memory())}`);
  });

  test(`prompts in ${where}: /dev/zero, a FIFO and a link outside are refused in words, the rest is listed`, { timeout: 90_000 }, async (t) => {
    const base = scratch(t);
    const home = path.join(base, 'home');
    const workspace = path.join(base, 'project');
    fs.mkdirSync(workspace, { recursive: true });
    const dir = kind === 'home' ? path.join(home, 'prompts') : path.join(workspace, '.plue', 'prompts');
    plant(dir, 'md', '# Fine prompt\nBe helpful.\n', '# Leaked\nsecret text\n');
    const s = startSidecar(t, { home });
    await s.initialize({ workspaceFolders: [workspace], trusted: true });

    const list = await s.request('prompts/list', {}, 20_000);
    const names = list.map((p) => p.name);
    assert.ok(names.includes('fine.md'), `the good prompt is listed: ${names}`);
    for (const name of ['zero.md', 'pipe.md', 'leak.md']) assert.ok(!names.includes(name), `${name} is not listed`);
    assert.equal((await s.request('prompts/get', { ref: 'codex://prompts/fine.md' })).content, '# Fine prompt\nBe helpful.\n');
    for (const [name, why] of hostile('md')) {
      const reply = await s.call('prompts/get', { ref: `codex://prompts/${name}` }, 20_000);
      assert.match(reply.error?.message ?? '', why, `${name}: ${JSON.stringify(reply)}`);
    }
    record(t, `prompts in ${kind}: memory after ${JSON.stringify(s.memory())}`);
  });
}

test('prompts: a folder link to / and a link loop are not walked, and the rest is listed', { timeout: 60_000 }, async (t) => {
  const home = path.join(scratch(t), 'home');
  const dir = path.join(home, 'prompts');
  fs.mkdirSync(path.join(dir, 'team'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'team', 'fine.md'), '# Fine\n');
  fs.symlinkSync('/', path.join(dir, 'root'));
  fs.symlinkSync('.', path.join(dir, 'loop'));
  const s = startSidecar(t, { home });
  await s.initialize();
  const names = (await s.request('prompts/list', {}, 20_000)).map((p) => p.name);
  assert.ok(names.includes('team/fine.md'), `a prompt in a real subfolder is listed: ${names}`);
  assert.ok(!names.some((n) => n.startsWith('root/') || n.startsWith('loop/')), `nothing through a folder link: ${names}`);
});
