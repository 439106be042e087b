// The cluster suites' swarm itself (tests/support/docker-swarm.mjs): a manager and two worker engines, each worker in a
// network namespace of its own, joined into a swarm; the tiny image pushed to Debian's registry and pulled by the
// workers; a replicated job run on the workers with its logs streamed back through the manager; nothing left after.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { engineRequest } from '../support/docker-engine.mjs';
import { api, startSwarm, swarmSkip } from '../support/docker-swarm.mjs';

const skip = swarmSkip();
let swarm;
before(async () => { if (!skip) swarm = await startSwarm({ workers: 2 }); });
after(async () => { await swarm?.stop(); });

test('dockerSwarm_threeEngines_areOneSwarmWithTwoWorkersEachOnItsOwnAddress', { skip }, async () => {
  const nodes = await api(swarm.manager.socket, 'GET', '/nodes');
  assert.equal(nodes.length, 3);
  const workers = nodes.filter((n) => n.Spec.Role === 'worker');
  assert.deepEqual(workers.map((n) => n.Status.Addr).sort(), swarm.workers.map((w) => w.address).sort());
  assert.ok(nodes.every((n) => n.Status.State === 'ready'), JSON.stringify(nodes.map((n) => n.Status)));
});

test('dockerSwarm_replicatedJob_runsOnTheWorkersFromTheRegistryAndItsLogsComeBack', { skip, timeout: 240_000 }, async () => {
  const image = await swarm.pushImage();
  const service = await api(swarm.manager.socket, 'POST', '/services/create', {
    Name: 'plue-swarm-check',
    Labels: { 'plue.test': 'swarm' },
    Mode: { ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 4 } },
    TaskTemplate: {
      ContainerSpec: { Image: image, Command: ['sh', '-c', 'echo "job on $(hostname) sees $(wget -qO- http://' + swarm.registry + '/v2/ >/dev/null && echo the registry)"'] },
      RestartPolicy: { Condition: 'none' },
      Placement: { Constraints: ['node.role==worker'] },
      Networks: [{ Target: 'host' }],
    },
  });
  try {
    const done = Date.now() + 180_000;
    let tasks;
    for (;;) {
      tasks = await api(swarm.manager.socket, 'GET', `/tasks?filters=${encodeURIComponent(JSON.stringify({ service: [service.ID] }))}`);
      if (tasks.filter((t) => t.Status.State === 'complete').length === 4) break;
      assert.ok(!tasks.some((t) => ['failed', 'rejected'].includes(t.Status.State)), JSON.stringify(tasks.map((t) => t.Status)));
      assert.ok(Date.now() < done, `the job did not complete: ${JSON.stringify(tasks.map((t) => t.Status))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const workerIds = new Set((await api(swarm.manager.socket, 'GET', '/nodes')).filter((n) => n.Spec.Role === 'worker').map((n) => n.ID));
    assert.ok(tasks.every((t) => workerIds.has(t.NodeID)), 'every run was on a worker');
    const logs = (await engineRequest(swarm.manager.socket, 'GET', `/services/${service.ID}/logs?stdout=1&stderr=1`)).body;
    assert.equal((logs.match(/job on \w+ sees the registry/g) ?? []).length, 4, logs);
  } finally {
    await api(swarm.manager.socket, 'DELETE', `/services/${service.ID}`);
  }
});

test('dockerSwarm_stop_leavesNoEngineNamespaceOrFolder', { skip, timeout: 120_000 }, async () => {
  const pids = [swarm.manager, ...swarm.workers].map((e) => Number(fs.readFileSync(`${e.dir}/dockerd.pid`, 'utf8')));
  const { dir, workers } = swarm;
  await swarm.stop();
  swarm = null;
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
  assert.equal(fs.existsSync(dir), false);
  for (const w of workers) assert.equal(fs.existsSync(`/run/netns/${w.netns}`), false);
});
