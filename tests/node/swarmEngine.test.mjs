// Issue 72, items 1 and 2, on a real Docker Swarm (tests/support/docker-swarm.mjs: a manager and two worker engines,
// each worker in a network namespace of its own, and Debian's registry on the test bridge): a swarm engine record
// made by `plue engines add --swarm --registry`, whose test says its manager's nodes and their architectures, and a
// record at an engine that is no manager failing its test with the fix; the runner image built on the manager, pushed
// to the registry once, and pulled by the workers, whose job runs Plue's binary from it.
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { engineRequest } from '../support/docker-engine.mjs';
import { api, startSwarm, swarmSkip } from '../support/docker-swarm.mjs';

const require = createRequire(import.meta.url);
const { startSidecar } = require('./support/sidecar');
const { plue, tempHome } = require('./support/plue');

const skip = swarmSkip();
let swarm;
before(async () => { if (!skip) swarm = await startSwarm({ workers: 2 }); });
after(async () => { await swarm?.stop(); });

test('item 1: plue engines add --swarm --registry makes a swarm engine whose test says its manager, nodes ready and architectures', { skip, timeout: 120_000 }, async () => {
  const home = tempHome();
  const added = await plue(['engines', 'add', 'Cluster', '--host', swarm.manager.host, '--swarm', '--registry', swarm.registry], { home });
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /Added the engine Cluster/);

  const listed = await plue(['engines', 'list'], { home });
  assert.match(listed.stdout, new RegExp(`Cluster\\s+host\\s+unix://\\S+; a swarm pulling from ${swarm.registry.replaceAll('.', '\\.')}`));

  const arch = (await api(swarm.manager.socket, 'GET', '/info')).Architecture;
  const works = await plue(['engines', 'test', 'Cluster'], { home });
  assert.equal(works.code, 0, works.stderr);
  assert.match(works.stdout, new RegExp(`^Cluster works: Docker \\S+ \\(API 1\\.41\\), linux/\\w+, a swarm manager with 3/3 nodes ready \\(${arch}\\), pulling from ${swarm.registry.replaceAll('.', '\\.')}, .*; \\d+ ms$`, 'm'));

  const json = JSON.parse((await plue(['engines', 'test', 'Cluster', '--json'], { home })).stdout);
  assert.deepEqual(json.swarm, { manager: true, readyNodes: 3, nodes: 3, architectures: [arch], registry: swarm.registry });
});

test('item 1: a swarm without a registry, or with one that is not host[:port], is refused at the door and nothing is saved', { skip }, async () => {
  const home = tempHome();
  const bare = await plue(['engines', 'add', 'No registry', '--host', swarm.manager.host, '--swarm'], { home });
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /--registry: A swarm needs the registry its nodes pull from \(host\[:port\], for example registry\.lan:5000\)/);

  const url = await plue(['engines', 'add', 'Web registry', '--host', swarm.manager.host, '--swarm', '--registry', `http://${swarm.registry}`], { home });
  assert.equal(url.code, 2);
  assert.match(url.stderr, /--registry: 'http:\/\/\S+' is not a registry's address: give it as host\[:port\]/);

  const alone = await plue(['engines', 'add', 'Registry alone', '--host', swarm.manager.host, '--registry', swarm.registry], { home });
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--registry is for a swarm: add --swarm/);

  const listed = await plue(['engines', 'list'], { home });
  assert.match(listed.stdout, /No Docker engines yet/);
});

test('item 1: engines/test: a swarm record at a worker\'s engine fails on one line saying to give a manager\'s address', { skip }, async (t) => {
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const manager = await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Manager', fields: { connection: 'host', host: swarm.manager.host, swarm: true, registry: swarm.registry } });
  const worker = await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Worker one', fields: { connection: 'host', host: swarm.workers[0].host, swarm: true, registry: swarm.registry } });

  const managed = await sidecar.connection.sendRequest('engines/test', { id: manager.id });
  assert.equal(managed.ok, true, managed.error);
  assert.equal(managed.swarm.nodes, 3);

  const result = await sidecar.connection.sendRequest('engines/test', { id: worker.id });
  assert.equal(result.ok, false);
  assert.equal(result.fix, 'swarm');
  assert.equal(result.error, 'Worker one is in a swarm but is not its manager: give a manager\'s address (`docker node ls` on a manager lists them).');
  assert.equal(result.swarm, undefined);
});

/** A stand-in for Plue's linux-x64 binary (the JIT suites have none): a script the tiny image's busybox runs. */
function runnerBinary(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-runner-bin-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'plue');
  fs.writeFileSync(file, '#!/bin/sh\necho "plue runner ok: $*"\n', { mode: 0o755 });
  return file;
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const manifestAccept = 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json';

test('item 2: the runner image is built on the manager, pushed to the registry once, and the workers\' job pulls it and runs plue from it', { skip, timeout: 300_000 }, async (t) => {
  const base = await swarm.pushImage();
  const binary = runnerBinary(t);
  const home = tempHome();
  const env = { PLUE_RUNNER_BINARY: binary };
  assert.equal((await plue(['engines', 'add', 'Cluster', '--host', swarm.manager.host, '--swarm', '--registry', swarm.registry], { home })).code, 0);

  let started = Date.now();
  const first = await plue(['engines', 'runner-image', 'Cluster', '--image', base], { home, env, timeoutMs: 180_000 });
  const firstMs = Date.now() - started;
  assert.equal(first.code, 0, first.stderr);
  const pushed = first.stdout.match(new RegExp(`^Pushed (${escape(swarm.registry)}/plue-runner:([\\w.-]+)) \\(amd64\\)$`, 'm'));
  assert.ok(pushed, first.stdout);
  const [, image, tag] = pushed;
  // Named by Plue's version and 12 hex of sha256(the base image's id + the sha256 of its files: each name, a NUL, its bytes; here the binary alone).
  const baseId = (await api(swarm.manager.socket, 'GET', `/images/${encodeURIComponent(base)}/json`)).Id;
  const binaryHash = crypto.createHash('sha256').update('plue\0').update(fs.readFileSync(binary)).digest('hex');
  assert.match(tag, new RegExp(`^\\d+\\.\\d+\\.\\d+[\\w.-]*-${crypto.createHash('sha256').update(baseId + binaryHash).digest('hex').slice(0, 12)}$`));
  const manifest = await fetch(`http://${swarm.registry}/v2/plue-runner/manifests/${tag}`, { method: 'HEAD', headers: { Accept: manifestAccept } });
  assert.equal(manifest.status, 200);
  const built = (await api(swarm.manager.socket, 'GET', `/images/${encodeURIComponent(image)}/json`)).Created;

  // Once: the registry has it, so the second asks the registry and neither builds nor pushes.
  started = Date.now();
  const second = await plue(['engines', 'runner-image', 'Cluster', '--image', base], { home, env, timeoutMs: 60_000 });
  const secondMs = Date.now() - started;
  assert.equal(second.code, 0, second.stderr);
  assert.equal(second.stdout.trim(), `Already in the registry: ${image} (amd64)`);
  assert.equal((await api(swarm.manager.socket, 'GET', `/images/${encodeURIComponent(image)}/json`)).Created, built);
  t.diagnostic(`runner image: built and pushed in ${firstMs} ms; found in the registry in ${secondMs} ms (each a whole plue command)`);

  // The workers pull it from the registry (nothing copied to them) and run Plue's binary from /opt/plue/plue.
  const service = await api(swarm.manager.socket, 'POST', '/services/create', {
    Name: 'plue-runner-check',
    Labels: { 'plue.test': 'runner' },
    Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 2 } },
    TaskTemplate: {
      ContainerSpec: { Image: image, Command: ['/opt/plue/plue', '--version'] },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: ['node.role==worker'] },
    },
  });
  try {
    const until = Date.now() + 180_000;
    let tasks;
    for (;;) {
      tasks = await api(swarm.manager.socket, 'GET', `/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [service.ID] }))}`);
      if (tasks.filter((x) => x.Status.State === 'complete').length === 2) break;
      assert.ok(!tasks.some((x) => ['failed', 'rejected'].includes(x.Status.State)), JSON.stringify(tasks.map((x) => x.Status)));
      assert.ok(Date.now() < until, `the job did not complete: ${JSON.stringify(tasks.map((x) => x.Status))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const logs = (await engineRequest(swarm.manager.socket, 'GET', `/services/${service.ID}/logs?stdout=1&stderr=1`)).body;
    assert.equal((logs.match(/plue runner ok: --version/g) ?? []).length, 2, logs);
    const ran = new Set(tasks.map((x) => x.NodeID));
    const workers = (await api(swarm.manager.socket, 'GET', '/nodes')).filter((n) => n.Spec.Role === 'worker');
    const ranOn = swarm.workers.filter((w) => ran.has(workers.find((n) => n.Status.Addr === w.address)?.ID));
    assert.ok(ranOn.length >= 1, `the job ran on the workers: ${JSON.stringify([...ran])}`);
    for (const worker of ranOn) {
      const images = await api(worker.socket, 'GET', '/images/json');
      assert.ok(images.some((i) => (i.RepoDigests ?? []).some((d) => d.startsWith(`${swarm.registry}/plue-runner@`)) || (i.RepoTags ?? []).includes(image)),
        `the worker ${worker.address} pulled the runner image: ${JSON.stringify(images.map((i) => [i.RepoTags, i.RepoDigests]))}`);
    }
  } finally {
    await api(swarm.manager.socket, 'DELETE', `/services/${service.ID}`);
  }
});

test('item 2: a registry that does not answer, or that the swarm\'s engines do not trust, ends the runner image on one line saying what to do', { skip, timeout: 180_000 }, async (t) => {
  const base = await swarm.pushImage();
  const binary = runnerBinary(t);
  const home = tempHome();
  const env = { PLUE_RUNNER_BINARY: binary };

  // An engine that is no swarm has no runner image: refused, saying how to make one.
  assert.equal((await plue(['engines', 'add', 'Plain', '--host', swarm.manager.host], { home })).code, 0);
  const plain = await plue(['engines', 'runner-image', 'Plain', '--image', base], { home, env });
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /^plue: Plain is not a swarm: make it one \(Swarm, with the registry its nodes pull from\)/);

  const silent = `${swarm.address}:5002`;
  assert.equal((await plue(['engines', 'add', 'Silent', '--host', swarm.manager.host, '--swarm', '--registry', silent], { home })).code, 0);
  const none = await plue(['engines', 'runner-image', 'Silent', '--image', base], { home, env });
  assert.equal(none.code, 1);
  assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
  assert.equal(none.stderr.trim(), `plue: The registry ${silent} does not answer (connection refused): start it, or set the swarm engine's registry to one Plue and its nodes reach.`);

  // A registry over plain HTTP that the engines were not told to trust: Plue finds no image there, builds it, and the
  // manager refuses to push to it.
  const server = http.createServer((request, response) => {
    response.writeHead(request.url === '/v2/' ? 200 : 404, { 'Content-Type': 'application/json', 'Docker-Distribution-API-Version': 'registry/2.0' });
    response.end('{}');
  });
  await new Promise((resolve) => server.listen(5001, swarm.address, resolve));
  t.after(() => server.close());
  const untrusted = `${swarm.address}:5001`;
  assert.equal((await plue(['engines', 'add', 'Untrusted', '--host', swarm.manager.host, '--swarm', '--registry', untrusted], { home })).code, 0);
  const refused = await plue(['engines', 'runner-image', 'Untrusted', '--image', base], { home, env, timeoutMs: 120_000 });
  assert.equal(refused.code, 1);
  assert.equal(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  assert.equal(refused.stderr.trim(), `plue: Untrusted would not push to the registry ${untrusted}: it speaks plain HTTP, which the swarm's engines do not trust. Add it to each engine's insecure-registries (daemon.json), or serve it over HTTPS.`);
});

test('item 1: engines/test: a swarm record at an engine in no swarm fails saying to run docker swarm init there, or give a manager\'s address', { skip, timeout: 60_000 }, async (t) => {
  // The last test: the second worker leaves the swarm, an engine in none.
  await api(swarm.workers[1].socket, 'POST', '/swarm/leave?force=1');
  const sidecar = startSidecar();
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const record = await sidecar.connection.sendRequest('codex/create', { templateId: 'docker-engine', title: 'Lone engine', fields: { connection: 'host', host: swarm.workers[1].host, swarm: true, registry: swarm.registry } });

  const result = await sidecar.connection.sendRequest('engines/test', { id: record.id });
  assert.equal(result.ok, false);
  assert.equal(result.fix, 'swarm');
  assert.equal(result.error, 'Lone engine is not a swarm\'s manager: run `docker swarm init` there, or give a manager\'s address.');
});
