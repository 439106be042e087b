// `plue status` and `engines/reach` say whether each Docker engine answers now, through the real command line and
// sidecar against a real Docker engine (tests/support/docker-engine.mjs) and one on a socket nothing serves: the one
// that answers with its Docker version, the other with its one-line reason and what to do; no engine, no line.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { useDockerEngine } from '../support/docker-engine.mjs';

const require = createRequire(import.meta.url);
const { plue, tempHome } = require('./support/plue');
const { startSidecar } = require('./support/sidecar');

const skip = process.env.PLUE_TEST_DOCKER_HOST ? false
  : process.platform !== 'linux' || !['/usr/sbin/dockerd', '/usr/bin/dockerd'].some((p) => fs.existsSync(p)) ? 'no Docker engine: install Debian\'s docker.io (bash scripts/install-tools.sh test) or set PLUE_TEST_DOCKER_HOST'
    : process.getuid?.() !== 0 ? 'a private dockerd needs root: run as root, or set PLUE_TEST_DOCKER_HOST' : false;

let engine;
test.before(async () => { if (!skip) engine = await useDockerEngine(); });
test.after(async () => { await engine?.stop(); });

test('item 6: plue status: each engine is reachable with its Docker version, or unreachable with its reason and fix', { skip }, async () => {
  const home = tempHome();
  const env = { DOCKER_HOST: engine.host };
  const before = await plue(['status'], { home, env });
  assert.equal(before.code, 0, before.stderr);
  assert.doesNotMatch(before.stdout, /engines/, 'no engine added: no engines line');

  assert.equal((await plue(['engines', 'add', 'Local'], { home, env })).code, 0);
  const absent = `unix://${home}/absent.sock`;
  assert.equal((await plue(['engines', 'add', 'Elsewhere', '--host', absent], { home, env })).code, 0);

  const status = await plue(['status'], { home, env });
  assert.equal(status.code, 0, status.stderr);
  const lines = status.stdout.split('\n');
  const elsewhere = lines.findIndex((l) => l.includes('Elsewhere:'));
  assert.equal(lines[elsewhere], `engines    Elsewhere: unreachable: No Docker engine answers at ${absent} (Elsewhere): start Docker, or set the engine's host to the socket it listens on.`);
  assert.match(lines[elsewhere + 1], /^ {11}Local: reachable, Docker \d+\.\d+\S* \(API 1\.\d+\)$/);
});

test('item 6: engines/reach: every engine record in name order, each answered or not within its bound', { skip }, async (t) => {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  assert.deepEqual(await sidecar.connection.sendRequest('engines/reach'), { engines: [] });
  const create = (title, host) => sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title, fields: { connection: 'host', host } });
  const good = await create('Test engine', engine.host);
  const bad = await create('Nowhere', `unix://${tempHome()}/docker.sock`);

  const { engines } = await sidecar.connection.sendRequest('engines/reach');
  assert.deepEqual(engines.map((e) => [e.engine, e.engineId, e.ok, e.fix]), [['Nowhere', bad.id, false, 'startEngine'], ['Test engine', good.id, true, undefined]]);
  assert.match(engines[1].version, /^\d+\.\d+/);
  assert.equal(engines[1].apiVersion, '1.41');
  assert.match(engines[0].error, /^No Docker engine answers at unix:\/\/.*\(Nowhere\): start Docker/);
});
