// Another CPU's Linux sidecar, as package.sh published it (dist/publish/linux-arm64; the release tests linux-armhf in
// an armhf container), run on this machine under qemu-user with Debian's multiarch C, C++ and OpenSSL libraries of
// that CPU (scripts/install-tools.sh installs them): it answers `initialize`, streams a chat from a loopback provider,
// and keeps a key in its vault across a restart, the key reaching the provider. A target not published here, or
// without its emulator or libraries, is skipped, saying why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { fakeProvider } from '../support/acp.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { scratchFolder, startSidecar, within } = createRequire(import.meta.url)('../node/support/sidecar.js');

const emulated = {
  'linux-arm64': { qemu: 'qemu-aarch64-static', libraries: '/usr/lib/aarch64-linux-gnu' },
};

function unavailable(target, { qemu, libraries }) {
  if (!fs.existsSync(path.join(repo, 'dist/publish', target, 'plue'))) return `dist/publish/${target} is not published: bash scripts/package.sh ${target}`;
  if (spawnSync(qemu, ['--version']).status !== 0) return `${qemu} is not installed: bash scripts/install-tools.sh qemu`;
  const missing = ['libstdc++.so.6', 'libssl.so.3'].filter(lib => !fs.existsSync(path.join(libraries, lib)));
  if (missing.length > 0) return `${missing.join(' and ')} of ${target} are not in ${libraries}: bash scripts/install-tools.sh qemu`;
  return false;
}

/** Starts the emulated sidecar: sidecarCommand reads PLUE_SIDECAR and PLUE_SIDECAR_EMULATOR when it spawns. */
function startEmulated(target, { qemu }, options) {
  const saved = { sidecar: process.env.PLUE_SIDECAR, emulator: process.env.PLUE_SIDECAR_EMULATOR };
  process.env.PLUE_SIDECAR = path.join(repo, 'dist/publish', target, 'plue');
  process.env.PLUE_SIDECAR_EMULATOR = qemu;
  try {
    return startSidecar(options);
  } finally {
    for (const [name, value] of [['PLUE_SIDECAR', saved.sidecar], ['PLUE_SIDECAR_EMULATOR', saved.emulator]]) {
      if (value === undefined) delete process.env[name]; else process.env[name] = value;
    }
  }
}

for (const [target, emulator] of Object.entries(emulated)) {
  test(`the ${target} sidecar under ${emulator.qemu}: initialize, a loopback chat, a vault key across a restart`, { skip: unavailable(target, emulator), timeout: 900_000 }, async (t) => {
    // Removed once its sidecars have stopped (scratchFolder), not while one still writes there.
    const home = path.join(scratchFolder(t, 'plue-emulated-'), 'home');
    const vaultKey = Buffer.alloc(32, 7).toString('base64');
    const provider = await fakeProvider(t, () => ({ words: ['Hello', ' from ', target] }));
    const secret = `sk-emulated-${target}-0123456789`;

    // Emulation is slow, the more so on a loaded machine: each stage's time is printed.
    const begun = performance.now();
    const stage = (what) => t.diagnostic(`${target}: ${what} after ${((performance.now() - begun) / 1000).toFixed(1)} s`);
    const first = startEmulated(target, emulator, { home });
    t.after(() => first.stop());
    const init = await within(300_000, first.initialize({ vaultKey }), `initialize under ${emulator.qemu}`);
    assert.ok(init.capabilities, `no capabilities in the answer: ${first.stderr()}`);
    stage('initialize answered');
    await first.connection.sendRequest('vault/store', { ref: 'vault://openai/emulated', value: secret });
    const instance = await first.connection.sendRequest('instances/create', { displayName: 'Loopback', catalogProviderId: 'openai', endpoint: provider.endpoint, apiKeyRef: 'vault://openai/emulated' });
    await first.stop();
    stage('the key stored and the instance made');

    // A new process reads the key back from the encrypted vault and sends it to the provider.
    const second = startEmulated(target, emulator, { home });
    t.after(() => second.stop());
    await within(300_000, second.initialize({ vaultKey }), `initialize again under ${emulator.qemu}`);
    stage('initialize answered again');
    assert.deepEqual(await second.connection.sendRequest('vault/has', { ref: 'vault://openai/emulated' }), { exists: true });
    const session = await second.connection.sendRequest('session/create', { instanceId: instance.id, modelId: 'gpt-emulated', allowUnlisted: true });
    const deltas = [];
    second.connection.onNotification('session/partDelta', (p) => deltas.push(p.delta));
    const answer = await within(300_000, second.connection.sendRequest('session/send', { sessionId: session.id, text: 'hello' }), 'the chat');
    stage('the chat answered');
    assert.equal(answer.status, 'complete', second.stderr());
    assert.equal(answer.parts[0].text, `Hello from ${target}`);
    assert.equal(deltas.join(''), `Hello from ${target}`);
    assert.equal(provider.requests.length, 1);
    assert.equal(provider.requests[0].model, 'gpt-emulated');
    assert.deepEqual(provider.authorizations, [`Bearer ${secret}`], 'the key from the vault did not reach the provider');
  });
}
