// What a remote MCP server offers besides tools, through the real sidecar process and the loopback server of
// remoteMcp.test.mjs (reached with a header from the vault, so no sign-in): its resources (mcp/resources,
// mcp/readResource: the composer's @), its prompts (mcp/prompts, mcp/getPrompt: the composer's /), and a tool that
// asks the user during a task (elicitation/create → the client's mcp/elicit, answered by the extension's form,
// extension/src/mcp/elicitationForm.ts, bundled as the extension is → the tool's result).
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { fakeOpenAI, scratch, startSidecar, until } from '../faults/support/processes.mjs';
import { confirmSchema, loopbackResources, startRemoteMcp } from '../support/remoteMcp.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** An extension module without vscode imports, bundled as the extension is. */
async function extensionModule(relative) {
  const bundle = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plue-mcp-offerings-')), `${path.basename(relative, '.ts')}.mjs`);
  buildSync({ entryPoints: [path.join(repoRoot, relative)], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error' });
  return import(pathToFileURL(bundle).href);
}
const { askForm, fieldProblem, formFields } = await extensionModule('extension/src/mcp/elicitationForm.ts');
const { McpMentions } = await extensionModule('extension/src/panel/mcpMentions.ts');

/** A user who answers each step from `replies` (by the step's field label), recording what was shown. */
function scriptedUser(replies) {
  const shown = [];
  const reply = (step) => {
    const text = replies[shown.length];
    shown.push({ title: step.title, prompt: step.prompt, items: step.items?.map((i) => i.label), problem: step.validate?.(text) });
    return Promise.resolve(text);
  };
  return { shown, asker: { pick: reply, input: reply } };
}

/** A sidecar with one remote server, "Loopback" (slug loopback), reached with a bearer token kept in the vault. */
async function withRemote(t, options = {}) {
  const staticToken = `loopback_offerings_${Date.now().toString(36)}_Qw7`;
  const remote = await startRemoteMcp({ staticToken, ...options });
  t.after(() => remote.close());
  const dir = scratch(t, 'plue-mcp-offerings-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const s = startSidecar(t, { home: path.join(dir, 'home') });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  s.connection.onRequest('mcp/authorize', () => assert.fail('a server given its token in a header asks for no sign-in'));
  await s.request('vault/store', { ref: 'vault://loopback/token', value: staticToken });
  await s.request('codex/create', {
    templateId: 'mcp-server', title: 'Loopback', slug: 'loopback',
    fields: { transport: 'http', url: remote.url, headers: ['Authorization: Bearer vault://loopback/token'], trusted: true },
  });
  return { remote, s };
}

test('mcp/resources lists the resources of every enabled server, an unreachable one under unavailable; mcp/readResource gives the text', { timeout: 60_000 }, async (t) => {
  const { remote, s } = await withRemote(t);
  // An enabled server nobody listens for, and a disabled one (not asked at all).
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Gone', slug: 'gone', fields: { transport: 'http', url: 'http://127.0.0.1:9/mcp' } });
  await s.request('codex/create', { templateId: 'mcp-server', title: 'Off', slug: 'off', fields: { transport: 'http', url: 'http://127.0.0.1:9/mcp', enabled: false } });

  const listed = await s.request('mcp/resources', {});
  assert.deepEqual(listed.resources, loopbackResources.map((r) => ({ server: 'loopback', serverTitle: 'Loopback', uri: r.uri, name: r.name, title: r.title, mimeType: r.mimeType })));
  assert.deepEqual(listed.unavailable.map((u) => [u.server, u.title]), [['gone', 'Gone']]);
  assert.match(listed.unavailable[0].reason, /MCP server 'gone' \(http:\/\/127\.0\.0\.1:9\/mcp\)/);

  const read = await s.request('mcp/readResource', { server: 'loopback', uri: 'loopback://notes/welcome' });
  assert.deepEqual(read, { server: 'loopback', serverTitle: 'Loopback', uri: 'loopback://notes/welcome', mimeType: 'text/markdown', text: loopbackResources[0].text });
  assert.deepEqual(remote.seen.reads, ['loopback://notes/welcome']);

  // A resource the server does not have: its refusal, named by the server's title; an unknown server: what to add.
  await assert.rejects(s.request('mcp/readResource', { server: 'loopback', uri: 'loopback://notes/missing' }),
    (e) => e.code === -33005 && /The MCP server Loopback refused: .*Resource not found: loopback:\/\/notes\/missing/.test(e.message));
  await assert.rejects(s.request('mcp/readResource', { server: 'nobody', uri: 'loopback://notes/welcome' }),
    (e) => e.code === -33005 && /No MCP server 'nobody' is configured: add an mcp-server record/.test(e.message));
  assert.deepEqual(remote.seen.reads, ['loopback://notes/welcome', 'loopback://notes/missing'], 'nothing else was read');

  // The composer's @ (extension/src/panel/mcpMentions.ts, over this sidecar): entries named by titles, and the
  // chosen one attached as text under its server's and its own title.
  const mentions = new McpMentions({ request: (method, params) => s.request(method, params ?? {}) });
  await until(async () => (await mentions.items()).length > 0, 'the @ menu lists the resources');
  const items = await mentions.items();
  assert.deepEqual(items.map((i) => [i.kind, i.label, i.description]), [['mcpResource', 'Welcome note', 'Loopback'], ['mcpResource', 'Rate limits', 'Loopback']]);
  assert.deepEqual(await mentions.attachment(items[0]), { kind: 'file', path: 'Loopback: Welcome note', content: loopbackResources[0].text, language: 'markdown' });
  const limits = await mentions.attachment(items[1]);
  assert.deepEqual(limits, { kind: 'file', path: 'Loopback: Rate limits', content: loopbackResources[1].text, language: 'plaintext' });

  // Sent with a message, the model sees the resource's text under those names.
  const openai = await fakeOpenAI(t, [{ words: ['noted'] }]);
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-resource-key' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-resources', allowUnlisted: true });
  await s.request('session/send', { sessionId: chat.id, text: 'What are the limits?', attachments: [limits] });
  const asked = openai.requests.at(-1).body;
  assert.ok(asked.includes('Loopback: Rate limits') && asked.includes('Ten requests a minute per token.'), asked);
});

test('mcp/prompts lists the servers\' prompts with their arguments; mcp/getPrompt fills them in, and says which required one is missing', { timeout: 60_000 }, async (t) => {
  const { s } = await withRemote(t);
  const listed = await s.request('mcp/prompts', {});
  assert.deepEqual(listed, {
    prompts: [{
      server: 'loopback', serverTitle: 'Loopback', name: 'review', title: 'Review a file', description: 'Asks for a review of one file.',
      arguments: [{ name: 'file', description: 'The file to review', required: true }, { name: 'focus', description: 'What to look at first', required: false }],
    }],
    unavailable: [],
  });
  // Plue's own prompts are still prompts/list's.
  assert.ok(Array.isArray(await s.request('prompts/list', {})));

  const got = await s.request('mcp/getPrompt', { server: 'loopback', name: 'review', arguments: { file: 'src/a.ts', focus: 'errors' } });
  assert.deepEqual(got, {
    description: 'Asks for a review of one file.',
    messages: [
      { role: 'user', text: 'Review src/a.ts, looking at errors first.' },
      { role: 'assistant', text: 'I will read it and list the problems I find.' },
    ],
  });
  await assert.rejects(s.request('mcp/getPrompt', { server: 'loopback', name: 'review', arguments: {} }),
    (e) => e.code === -33005 && /Loopback refused: .*Missing required argument: file/.test(e.message));
});

test('a tool that asks the user: the question reaches the client as mcp/elicit, and the tool\'s result carries the answer (accept, decline, no answer)', { timeout: 90_000 }, async (t) => {
  const { remote, s } = await withRemote(t, { confirmTool: true });
  const asked = [];
  // The extension's form: Answer, then each field (the optional note left empty); then Decline; then no answer.
  const user = scriptedUser(['Answer', 'staging', '2', 'Yes', '']);
  const answers = [
    (p) => askForm(p, user.asker),
    (p) => askForm(p, scriptedUser(['Decline']).asker),
    () => { throw new Error('the user closed VS Code'); },
  ];
  s.connection.onRequest('mcp/elicit', (p) => {
    asked.push(p);
    return answers[asked.length - 1](p);
  });
  const openai = await fakeOpenAI(t, ({ body }) => {
    const messages = JSON.parse(body).messages;
    const what = /DEPLOY (\S+)/.exec(String(messages.find((m) => m.role === 'user')?.content ?? ''))?.[1];
    return messages.some((m) => m.role === 'tool') ? { words: ['done'] } : { calls: [{ name: 'mcp__loopback__confirm', args: { what } }] };
  });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-elicit-key' });
  const deploy = async (what) => {
    const task = await s.request('task/start', { templateId: 'task', prompt: `DEPLOY ${what}`, providerRef: instance.id, modelId: 'gpt-5-mini', fields: { mcp_tools: ['mcp__loopback'] } });
    await until(async () => ['completed', 'failed'].includes((await s.request('task/get', { id: task.id })).status), `task ${what} ends`, 60_000, s.stderr);
    const request = openai.requests.findLast((r) => r.body.includes(`DEPLOY ${what}`));
    return JSON.parse(request.body).messages.find((m) => m.role === 'tool')?.content;
  };

  assert.equal(await deploy('web'), 'deploying with {"environment":"staging","replicas":2,"notify":true}');
  assert.ok(remote.seen.clientCapabilities.elicitation, 'the sidecar said it can ask its user');
  assert.deepEqual(asked[0], { server: 'loopback', title: 'Loopback', message: 'Deploy web?', requestedSchema: confirmSchema });
  assert.deepEqual(user.shown, [
    { title: 'Loopback (1/5)', prompt: 'Deploy web?', items: ['Answer', 'Decline'], problem: undefined },
    { title: 'Loopback (2/5)', prompt: 'Deploy web? Environment', items: ['staging', 'production'], problem: undefined },
    { title: 'Loopback (3/5)', prompt: 'Deploy web? Replicas', items: undefined, problem: undefined },
    { title: 'Loopback (4/5)', prompt: 'Deploy web? Notify the team', items: ['Yes', 'No', 'Leave empty'], problem: undefined },
    { title: 'Loopback (5/5)', prompt: 'Deploy web? Note', items: undefined, problem: undefined },
  ]);

  assert.equal(await deploy('api'), 'not deployed: the user chose decline');
  assert.equal(await deploy('db'), 'not deployed: the user chose cancel', 'a client that fails to answer cancels');
  assert.deepEqual(remote.seen.elicitations.map((a) => a.action), ['accept', 'decline', 'cancel']);
  assert.equal(asked.length, 3);
});

test('the elicitation form checks each value against its field, and says what to type instead', () => {
  const [environment, replicas, notify, note] = formFields(confirmSchema);
  assert.deepEqual([environment.kind, environment.required, environment.options], ['choice', true, [{ value: 'staging', label: 'staging' }, { value: 'production', label: 'production' }]]);
  assert.deepEqual([replicas.kind, notify.kind, note.kind, note.required], ['number', 'boolean', 'string', false]);
  assert.equal(fieldProblem(replicas, '0'), 'Replicas must be at least 1.');
  assert.equal(fieldProblem(replicas, 'two'), 'Replicas must be a number.');
  assert.equal(fieldProblem(replicas, ' 3 '), undefined);
  assert.equal(fieldProblem(note, ''), undefined, 'an optional field may stay empty');
  assert.equal(fieldProblem({ ...note, required: true, label: 'Reason' }, ''), 'Reason is required.');
  assert.equal(fieldProblem({ ...note, maxLength: 3 }, 'long'), 'Note takes at most 3 characters.');
  const [count] = formFields({ type: 'object', properties: { count: { type: 'integer', title: 'Count' }, file: { type: 'array' } } });
  assert.equal(fieldProblem(count, '1.5'), 'Count must be a whole number.');
  assert.equal(formFields({ type: 'object', properties: { file: { type: 'array' } } }).length, 0, 'a property of another type is left out');
});
