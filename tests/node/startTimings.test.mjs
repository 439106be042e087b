// PLUE_TIMINGS=1 tells where a cold start's time goes: the real sidecar prints each step once, the peer's (seen at its
// hooks) and a feature's own (a new chat's steps, a provider's first request: activities the start-up listens to),
// and prints none of them without it. The real sidecar process and a loopback OpenAI server.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fakeOpenAI, scratch, startSidecar } from '../faults/support/processes.mjs';

async function coldChat(t, env) {
  const dir = scratch(t, 'plue-start-timings-');
  const workspace = path.join(dir, 'ws');
  fs.mkdirSync(workspace);
  const openai = await fakeOpenAI(t, [{ words: ['Hello there.'] }]);
  const s = startSidecar(t, { home: path.join(dir, 'home'), env });
  await s.initialize({ vaultKey: Buffer.alloc(32, 7).toString('base64'), workspaceFolders: [workspace], trusted: true });
  const instance = await s.request('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: openai.endpoint, apiKey: 'loopback-timings-0123456789' });
  const chat = await s.request('session/create', { instanceId: instance.id, modelId: 'gpt-timings', allowUnlisted: true });
  assert.equal((await s.request('session/send', { sessionId: chat.id, text: 'Say hello' })).status, 'complete');
  return s.stderr().split('\n').filter((l) => l.startsWith('plue timings:')).map((l) => /ms {2}(.+?) {2}\(/.exec(l)?.[1]);
}

test('PLUE_TIMINGS=1 prints the peer\'s steps and a feature\'s own, each once', async (t) => {
  const steps = await coldChat(t, { PLUE_TIMINGS: '1' });
  for (const step of ['runtime started', 'session/create answered', 'session/partDelta sent', 'session/create: started', 'session/create: instance read',
    'session/create: model checked', 'session/create: record written', 'provider request: POST sending', 'provider request: POST answered']) {
    assert.ok(steps.includes(step), `"${step}" not told:\n${steps.join('\n')}`);
  }
  assert.equal(new Set(steps).size, steps.length, `a step told twice:\n${steps.join('\n')}`);
});

test('without PLUE_TIMINGS no step is told', async (t) => {
  assert.deepEqual(await coldChat(t, {}), []);
});
