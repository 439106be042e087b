// An acp-agent instance on a real ACP agent from npm (Zed's Claude Code adapter against a loopback Anthropic API),
// through the real sidecar process: a chat turn streams the agent's text; its permission questions come as Plue's own
// permission/request (one granted, one denied); its file writes go through fs/write_text_file, inside the workspace
// only; and a Plue task runs on the same agent.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { acpInstance, fakeAnthropic, writingAgent } from '../support/acpAgent.mjs';
import { descendants, procView, until } from '../faults/support/processes.mjs';

const { startSidecar, scratchFolder, within, root } = createRequire(import.meta.url)('./support/sidecar.js');
const { plue, tempHome } = createRequire(import.meta.url)('./support/plue.js');

function scratch(t) {
  const dir = fs.realpathSync(scratchFolder(t, 'plue-acp-agent-'));
  const project = path.join(dir, 'project');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(project);
  fs.mkdirSync(outside);
  return { dir, project, outside };
}

/** What the loopback model does: a write inside, one the user denies, one outside and one through a link out. */
const script = ({ project, outside }) => writingAgent({
  'write inside': path.join(project, 'inside.txt'),
  'write denied': path.join(project, 'denied.txt'),
  'write outside': path.join(outside, 'escape.txt'),
  'write through the link': path.join(project, 'link', 'escape.txt'),
});

async function sidecarIn(t, project) {
  const s = startSidecar();
  t.after(() => s.stop());
  await s.initialize({ vaultKey: Buffer.alloc(32, 5).toString('base64'), workspaceFolders: [project], trusted: true });
  return s;
}

const turn = (s, sessionId, text) => within(120_000, s.connection.sendRequest('session/send', { sessionId, text }), `the turn "${text}"`);
const texts = (message) => message.parts.filter((p) => p.kind === 'text').map((p) => p.text).join('');

test('a chat on an ACP agent streams its text, asks Plue before each write (granted once, denied once) and writes only inside the workspace', async (t) => {
  const folders = scratch(t);
  const anthropic = await fakeAnthropic(t, script(folders));
  const s = await sidecarIn(t, folders.project);
  const instance = await acpInstance((m, p) => s.connection.sendRequest(m, p), { endpoint: anthropic.endpoint, dir: folders.dir });
  const chat = await s.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'agent' });
  const record = await s.connection.sendRequest('codex/get', { id: chat.id });
  await s.connection.sendRequest('codex/update', { id: chat.id, version: record.version, fields: { available_tools: ['read', 'write', 'edit'] } });
  const asked = [];
  s.connection.onRequest('permission/request', (p) => {
    asked.push(p);
    return p.input.file_path?.endsWith('denied.txt') ? { decision: 'deny', message: 'Not that one.' } : { decision: 'allow' };
  });
  const deltas = [];
  s.connection.onNotification('session/partDelta', (p) => deltas.push(p.delta));

  const hello = await turn(s, chat.id, 'say hello');
  assert.equal(hello.status, 'complete', hello.error);
  assert.equal(texts(hello), 'Hello from the agent.');
  assert.ok(deltas.join('').includes('Hello from the agent.'), 'the text streamed as deltas');
  assert.equal(asked.length, 0, 'text alone asks nothing');

  const inside = await turn(s, chat.id, 'write inside');
  assert.equal(inside.status, 'complete', inside.error);
  assert.equal(asked.length, 1, `the write was asked of the user through permission/request: ${JSON.stringify(inside.parts).slice(0, 1500)}`);
  assert.equal(asked[0].sessionId, chat.id);
  assert.equal(asked[0].tool, 'edit', 'asked under the Plue tool the chat grants');
  assert.equal(asked[0].input.file_path, path.join(folders.project, 'inside.txt'));
  assert.equal(fs.readFileSync(path.join(folders.project, 'inside.txt'), 'utf8'), 'written by the agent\n');
  const call = inside.parts.find((p) => p.kind === 'tool_use');
  assert.ok(call, 'the agent\'s tool call is a part of the answer');
  // The rule that decided it is kept on the agent's own part, joined by its tool call id, as on a Plue tool's.
  assert.deepEqual([call.approval?.decision, call.approval?.source, call.approval?.rule], ['allow', 'user', 'you allowed it once'], JSON.stringify(call));
  assert.match(texts(inside), /has been updated successfully/);

  const denied = await turn(s, chat.id, 'write denied');
  assert.equal(denied.status, 'complete', denied.error);
  assert.equal(asked.length, 2);
  assert.equal(fs.existsSync(path.join(folders.project, 'denied.txt')), false, 'a denied write never happens');
  const refused = denied.parts.find((p) => p.kind === 'tool_use');
  assert.deepEqual([refused?.approval?.decision, refused?.approval?.source], ['deny', 'user'], JSON.stringify(refused));

  const outside = await turn(s, chat.id, 'write outside');
  assert.equal(outside.status, 'complete', outside.error);
  assert.equal(fs.existsSync(path.join(folders.outside, 'escape.txt')), false, 'nothing is written outside the workspace');
  assert.match(texts(outside), /refused|outside/i, `the agent was told its write was refused: ${texts(outside)} (${asked.length} asked)`);

  // A path inside on paper that a symlink leads out of: the user allows it, and Plue's fs/write_text_file refuses it.
  fs.symlinkSync(folders.outside, path.join(folders.project, 'link'));
  const asking = asked.length;
  const linked = await turn(s, chat.id, 'write through the link');
  assert.equal(linked.status, 'complete', linked.error);
  assert.equal(asked.length, asking + 1, 'the write through the link was asked and allowed');
  assert.equal(fs.existsSync(path.join(folders.outside, 'escape.txt')), false, 'nothing is written through a symlink out of the workspace');
  assert.match(texts(linked), /Writing file failed: .*outside the workspace/, 'the agent was told why Plue refused the write');
});

test('a Plue task runs on an ACP agent: its answer is the task\'s report, and the agent ends with the run', async (t) => {
  const folders = scratch(t);
  const anthropic = await fakeAnthropic(t, script(folders));
  const s = await sidecarIn(t, folders.project);
  const instance = await acpInstance((m, p) => s.connection.sendRequest(m, p), { endpoint: anthropic.endpoint, dir: folders.dir });
  const task = await s.connection.sendRequest('task/start', { templateId: 'task', prompt: 'say hello', providerRef: instance.ref, modelId: 'agent' });
  let view;
  await within(120_000, (async () => {
    for (;;) {
      view = await s.connection.sendRequest('task/get', { id: task.id });
      if (!['running', 'queued', 'waiting-approval'].includes(view.status)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  })(), 'the task ending');
  assert.equal(view.status, 'completed', JSON.stringify(view).slice(0, 500));
  const messages = await s.connection.sendRequest('task/messages', { id: task.id });
  assert.ok(messages.messages.some((m) => m.role === 'assistant' && texts(m).includes('Hello from the agent.')), 'the agent answered the task');
  const agents = () => descendants(s.child.pid).filter((pid) => procView(pid).cmdline.toString().includes('claude-code-acp'));
  await until(() => agents().length === 0, 'the agent process ended with the task', 20_000);
});

test('plue instances test on an ACP agent starts it and reports its initialize; one that exits at start says why, with no stack trace', async () => {
  const home = tempHome();
  const agent = path.join(root, 'tests', 'fixtures', 'acp', 'scriptedAgent.mjs');
  const add = (name, ...more) => plue(['instances', 'add', 'acp-agent', '--name', name, '--program', process.execPath, `--arg=${agent}`, '--no-key', ...more], { home });
  for (const added of [await add('Scripted'), await add('Broken', '--env', 'SCRIPTED_AGENT_START=exit')]) assert.equal(added.code, 0, added.stderr);

  const works = await plue(['instances', 'test', 'Scripted'], { home });
  assert.equal(works.code, 0, works.stderr);
  assert.match(works.stdout, /^Scripted works: \d+ ms, Scripted Agent 1\.0\.0, ACP protocol 1$/m);

  const fails = await plue(['instances', 'test', 'Broken'], { home });
  assert.notEqual(fails.code, 0);
  assert.match(fails.stderr, /Broken does not work: The ACP agent 'Broken' exited before answering initialize \(exit code 7\): scripted agent: cannot start, no config\./);
  assert.doesNotMatch(fails.stdout + fails.stderr, /\n\s+at |Internal error|has no endpoint/);
});

test('plue instances add acp-agent --program /nonexistent is refused with what to do next, and nothing is added', async () => {
  const home = tempHome();
  const missing = await plue(['instances', 'add', 'acp-agent', '--name', 'Missing', '--program', '/nonexistent', '--no-key'], { home });
  assert.notEqual(missing.code, 0, missing.stdout);
  assert.match(missing.stderr, /^plue: --program: 'nonexistent' was not found at the path given: install the agent, then give its command as you type it in a terminal \(for example claude-code-acp\) or its full path/);
  assert.doesNotMatch(missing.stderr, /cli_path|instances\/create|\n\s+at /, 'a field path, method name or stack trace in the message');
  const bare = await plue(['instances', 'add', 'acp-agent', '--name', 'Bare', '--program', 'no-such-acp-agent-xyz', '--no-key'], { home });
  assert.match(bare.stderr, /'no-such-acp-agent-xyz' was not found on the PATH: install the agent/);
  const listed = await plue(['instances', 'list'], { home });
  assert.doesNotMatch(listed.stdout, /Missing|Bare/, 'a refused instance was added');
  // A program that is there is taken.
  const found = await plue(['instances', 'add', 'acp-agent', '--name', 'Node agent', '--program', process.execPath, '--no-key'], { home });
  assert.equal(found.code, 0, found.stderr);
});
