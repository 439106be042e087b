// Docker engines as records, through the real sidecar (vscode-jsonrpc) and the real `plue` command line, against a
// real Docker engine (tests/support/docker-engine.mjs: Debian's dockerd, API 1.41, a tiny image made with no
// registry): an engine record's test says its version, OS, architecture and that it can mount the workspace; a wrong
// socket is a one-line failure saying what to do; an address Docker would not take is refused at the door; the
// record has a history as every record does.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { containerIds, useDockerEngine } from '../support/docker-engine.mjs';

const require = createRequire(import.meta.url);
const { sidecarCommand, startSidecar } = require('./support/sidecar');
const { spawn } = require('node:child_process');
const { plue, tempHome } = require('./support/plue');

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

const create = (sidecar, title, fields) => sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title, fields });

test('item 1: engines/test: a record of the real engine says its version, OS, architecture and that it can mount the workspace', { skip }, async (t) => {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-engines-ws-'));
  t.after(() => fs.rmSync(workspace, { recursive: true, force: true }));
  await sidecar.initialize({ workspaceFolders: [workspace] });

  const record = await create(sidecar, 'Test engine', { connection: 'host', host: engine.host });
  const result = await sidecar.connection.sendRequest('engines/test', { id: record.id });

  assert.equal(result.ok, true, result.error);
  assert.equal(result.engine, 'Test engine');
  assert.equal(result.address, engine.host);
  assert.match(result.version, /^\d+\.\d+/);
  assert.equal(result.apiVersion, '1.41');  // Debian's engine serves 1.41: negotiated down to it
  assert.equal(result.os, 'linux');
  assert.ok(result.arch.length > 0);
  assert.equal(result.canMountWorkspace, true);
  // The mount check's container is gone.
  const left = await containerIds(engine.socket);
  assert.deepEqual(left, []);

  // A record like any other: its change is in its history.
  await sidecar.connection.sendRequest('codex/update', { id: record.id, version: record.version, title: 'Renamed engine' });
  const history = await sidecar.connection.sendRequest('codex/history', { id: record.id });
  assert.ok(history.length >= 2, JSON.stringify(history));
});

test('item 1: engines/test: an engine on a socket nothing serves fails on one line saying to start Docker or fix the host', { skip }, async (t) => {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-engines-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const host = `unix://${dir}/docker.sock`;

  const record = await create(sidecar, 'Nowhere', { connection: 'host', host });
  const result = await sidecar.connection.sendRequest('engines/test', { id: record.id });

  assert.equal(result.ok, false);
  assert.equal(result.fix, 'startEngine');
  assert.equal(result.error, `No Docker engine answers at ${host} (Nowhere): start Docker, or set the engine's host to the socket it listens on.`);
  assert.doesNotMatch(result.error, /\n/);
});

test('item 1: codex/create: an address Docker would not take, or TLS files on a Unix socket, is refused and nothing is saved', { skip }, async (t) => {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  await sidecar.initialize();

  await assert.rejects(create(sidecar, 'Web', { connection: 'host', host: 'http://localhost:2375' }), (e) => {
    assert.match(e.message, /host/);
    return true;
  });
  await assert.rejects(create(sidecar, 'Half TLS', { connection: 'host', host: engine.host, tls_ca: '/etc/ca.pem' }), (e) => {
    assert.match(JSON.stringify(e.data), /for a tcp:\/\/ engine only/);
    assert.match(JSON.stringify(e.data), /all three TLS files/);
    return true;
  });
  const listed = await sidecar.connection.sendRequest('codex/list', { templateId: 'docker-engine' });
  assert.deepEqual(listed.items, []);
});

test('items 1 and 6: plue engines add|list|test: the local engine (DOCKER_HOST) works, a wrong one fails on one line and exits 1', { skip }, async () => {
  const home = tempHome();
  const env = { DOCKER_HOST: engine.host };

  const added = await plue(['engines', 'add', 'Local'], { home, env });
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /Added the engine Local/);
  const wrong = await plue(['engines', 'add', 'Elsewhere', '--host', `unix://${home}/absent.sock`], { home, env });
  assert.equal(wrong.code, 0, wrong.stderr);

  const listed = await plue(['engines', 'list'], { home, env });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /Local\s+local\s+DOCKER_HOST, else the system socket/);
  assert.match(listed.stdout, /Elsewhere\s+host\s+unix:\/\//);

  const works = await plue(['engines', 'test', 'Local'], { home, env });
  assert.equal(works.code, 0, works.stderr);
  assert.match(works.stdout, /^Local works: Docker \d+\.\d+\S* \(API 1\.41\), linux\/\w+, can mount the workspace; \d+ ms$/m);

  const fails = await plue(['engines', 'test', 'Elsewhere'], { home, env });
  assert.equal(fails.code, 1);
  assert.equal(fails.stderr.trim().split('\n').length, 1, fails.stderr);
  assert.match(fails.stderr, /^plue: No Docker engine answers at unix:\/\/.* \(Elsewhere\): start Docker/);

  const json = JSON.parse((await plue(['engines', 'test', 'Local', '--json'], { home, env })).stdout);
  assert.equal(json.ok, true);
  assert.equal(json.os, 'linux');

  const refused = await plue(['engines', 'add', 'Web', '--host', 'http://localhost:2375'], { home, env });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--host: 'http:\/\/localhost:2375' is not a Docker engine's address/);

  const unknown = await plue(['engines', 'test', 'Nope'], { home, env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /No Docker engine is called 'Nope'\. Known: Elsewhere, Local/);
});

test('item 6: an engine whose socket refuses this user fails on one line saying to join the docker group, and exits 1', async (t) => {
  // A socket that only its owner may use, as Docker's is (root:docker, 0660) to a user outside the group. Root passes
  // any socket's mode, so as root the command runs as nobody (setpriv); as anyone else, the socket refuses its owner too.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-locked-engine-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.chmodSync(dir, 0o755);
  const socket = path.join(dir, 'docker.sock');
  const server = (await import('node:net')).createServer((c) => c.end());
  await new Promise((r) => server.listen(socket, r));
  t.after(() => server.close());
  const asRoot = process.getuid?.() === 0;
  fs.chmodSync(socket, asRoot ? 0o600 : 0o000);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  if (asRoot) fs.chownSync(home, 65534, 65534);
  const run = (...args) => new Promise((resolve) => {
    const [command, argv] = sidecarCommand(...args);
    const [program, line] = asRoot ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', command, ...argv]] : [command, argv];
    const child = spawn(program, line, { env: { PATH: process.env.PATH, HOME: home, DOTNET_ROOT: process.env.DOTNET_ROOT ?? '', PLUE_HOME: home, PLUE_VAULT_KEY: Buffer.alloc(32, 7).toString('base64'), PLUE_KEYCHAIN: 'off' } });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  const added = await run('engines', 'add', 'Locked', '--host', `unix://${socket}`);
  assert.equal(added.code, 0, added.stderr);
  const refused = await run('engines', 'test', 'Locked');
  assert.equal(refused.code, 1, refused.stdout + refused.stderr);
  assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  assert.equal(refused.stderr.trim(), 'plue: Plue may not use Locked: its socket refuses this user. Add yourself to the docker group (sudo usermod -aG docker $USER, then sign in again), or use rootless Docker.');
});

test('item 1: engines/test: an engine named by its Docker context is reached at the address the context gives', { skip }, async (t) => {
  // As `docker context create` writes it: meta/<sha256 of the name>/meta.json under the Docker configuration folder.
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-docker-config-'));
  t.after(() => fs.rmSync(config, { recursive: true, force: true }));
  const name = 'build-box';
  const meta = path.join(config, 'contexts', 'meta', require('node:crypto').createHash('sha256').update(name).digest('hex'));
  fs.mkdirSync(meta, { recursive: true });
  fs.writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: engine.host, SkipTLSVerify: false } } }));
  const sidecar = startSidecar({ env: { DOCKER_CONFIG: config } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();

  const record = await create(sidecar, 'Context engine', { connection: 'context', context: name });
  const result = await sidecar.connection.sendRequest('engines/test', { id: record.id });
  assert.equal(result.ok, true, result.error);
  assert.equal(result.address, `the Docker context '${name}'`);
  assert.equal(result.apiVersion, '1.41');

  const missing = await create(sidecar, 'No such context', { connection: 'context', context: 'nowhere' });
  const failed = await sidecar.connection.sendRequest('engines/test', { id: missing.id });
  assert.equal(failed.ok, false);
  assert.equal(failed.error, "There is no Docker context called 'nowhere': `docker context ls` lists them.");
  assert.equal(failed.fix, 'address');
});
