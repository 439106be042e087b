// The container suites' engine itself (tests/support/docker-engine.mjs): a private Debian dockerd in a temp folder,
// the tiny image made from a folder with no registry, a container run from it, and nothing left afterwards.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, test } from 'node:test';
import { containerIds, engineRequest, useDockerEngine } from '../support/docker-engine.mjs';

let engine;
before(async () => { engine = await useDockerEngine({ git: true }); });
after(async () => { await engine?.stop(); });

test('dockerEngine_privateEngine_answersWithItsVersion', async () => {
  const answer = await engineRequest(engine.socket, 'GET', '/version');
  assert.equal(answer.status, 200);
  const version = JSON.parse(answer.body);
  assert.equal(version.Os, 'linux');
  assert.match(version.ApiVersion, /^1\.\d+$/);
});

test('dockerEngine_tinyImage_isSmallAndRunsBusyboxAndGit', async () => {
  const image = JSON.parse((await engineRequest(engine.socket, 'GET', `/images/${encodeURIComponent(engine.image)}/json`)).body);
  // vfs copies the whole image per container: the tiny image with git stays under 16 MB.
  assert.ok(image.Size < 16 * 1024 * 1024, `the image is ${image.Size} bytes`);
  const created = await engineRequest(engine.socket, 'POST', '/containers/create', {
    Image: engine.image, Cmd: ['sh', '-c', 'git --version && id -un && ls /work'], User: 'plue',
    HostConfig: { NetworkMode: 'none' },
  });
  assert.equal(created.status, 201, created.body);
  const id = JSON.parse(created.body).Id;
  try {
    const started = await engineRequest(engine.socket, 'POST', `/containers/${id}/start`);
    assert.equal(started.status, 204, started.body);
    const waited = JSON.parse((await engineRequest(engine.socket, 'POST', `/containers/${id}/wait`)).body);
    const logs = (await engineRequest(engine.socket, 'GET', `/containers/${id}/logs?stdout=1&stderr=1`)).body;
    assert.equal(waited.StatusCode, 0, logs);
    assert.match(logs, /git version \d/);
    assert.match(logs, /plue/);
  } finally {
    await engineRequest(engine.socket, 'DELETE', `/containers/${id}?force=1`);
  }
  assert.deepEqual(await containerIds(engine.socket), []);
});

test('dockerEngine_stop_endsTheEngineAndRemovesItsFolder', { skip: process.env.PLUE_TEST_DOCKER_HOST ? 'an engine given by PLUE_TEST_DOCKER_HOST is not stopped' : false }, async () => {
  const pid = Number(fs.readFileSync(`${engine.dir}/dockerd.pid`, 'utf8'));
  await engine.stop();
  assert.equal(fs.existsSync(engine.dir), false);
  assert.throws(() => process.kill(pid, 0), /ESRCH/);
});
