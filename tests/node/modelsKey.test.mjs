// What decides whether an instance's models could have changed (extension/src/shared/modelsKey.ts, which imports no
// vscode), over views the real sidecar tells: after a save the settings form's model boxes and VS Code's model picker ask
// the sidecar for models again only when this key changed.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const { root, startSidecar } = createRequire(import.meta.url)('./support/sidecar.js');

async function modelsKeyModule() {
  const built = await esbuild.build({ entryPoints: [path.join(root, 'extension/src/shared/modelsKey.ts')], bundle: true, format: 'esm', write: false, platform: 'node' });
  return import(`data:text/javascript;base64,${Buffer.from(built.outputFiles[0].text).toString('base64')}`);
}

test('an instance\'s models key: a timeout, retries, a fallback or a test leave it; its endpoint, filter, name, key or enabling change it', async (t) => {
  const { modelsKey, allModelsKey } = await modelsKeyModule();
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 4).toString('base64') } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const call = (method, params) => sidecar.connection.sendRequest(method, params);
  const changed = [];
  sidecar.connection.onNotification('codex/changed', (change) => changed.push(change));

  const created = await call('instances/create', { displayName: 'Keyed', catalogProviderId: 'openai', endpoint: 'http://127.0.0.1:9/v1', enabled: false });
  const other = await call('instances/create', { displayName: 'Other', catalogProviderId: 'openai', enabled: false });
  let view = created;
  /** Saves `params` onto the instance; returns whether its models key moved. */
  const save = async (params) => {
    const before = modelsKey(view);
    view = await call('instances/update', { id: created.id, version: view.version, ...params });
    return modelsKey(view) !== before;
  };

  assert.equal(await save({ timeoutMs: 45_000 }), false, 'a timeout changed the models key');
  assert.equal(await save({ retry: { maxAttempts: 2, baseDelayMs: 100 } }), false, 'retries changed the models key');
  assert.equal(await save({ fallbacks: [{ providerRef: other.ref, modelId: 'gpt-4o' }] }), false, 'a fallback changed the models key');
  assert.equal(await save({ defaultModel: 'gpt-4o' }), false, 'the default model changed the models key');
  assert.equal(await save({ endpoint: 'http://127.0.0.1:10/v1' }), true, 'a new endpoint left the models key');
  assert.equal(await save({ modelFilter: { allow: ['gpt-4o'] } }), true, 'a model filter left the models key');
  assert.equal(await save({ displayName: 'Keyed Renamed' }), true, 'a new name (the picker\'s detail) left the models key');
  assert.equal(await save({ apiKey: 'sk-models-key-0123456789' }), true, 'a key stored left the models key');
  const enabled = await call('instances/setEnabled', { id: created.id, enabled: true });
  assert.notEqual(modelsKey(enabled), modelsKey(view), 'enabling left the models key');

  // The view the feed carries is the one a request answers: the key is the same whichever the extension holds.
  const told = changed.filter((c) => c.id === created.id && c.view?.kind === 'llm-provider').at(-1);
  assert.ok(told, 'codex/changed told no view of the instance');
  assert.equal(modelsKey(told.view.instance), modelsKey(await call('instances/get', { id: created.id })));

  // The picker's key over every instance: in id order, whatever order the store holds them in.
  const all = await sidecar.connection.sendRequest('instances/list');
  assert.equal(allModelsKey(all), allModelsKey([...all].reverse()));
  assert.notEqual(allModelsKey(all), allModelsKey(all.filter((i) => i.id !== other.id)), 'an instance removed left the picker\'s key');
});

test('the settings form\'s key for an instance\'s model list moves with its filter, endpoint and key (the provider\'s own list answers from them), not with enabling or a name: the list it keys is the same', async (t) => {
  const { listedModelsKey } = await modelsKeyModule();
  const sidecar = startSidecar({ env: { PLUE_VAULT_KEY: Buffer.alloc(32, 4).toString('base64') } });
  t.after(() => sidecar.stop());
  await sidecar.initialize();
  const call = (method, params) => sidecar.connection.sendRequest(method, params);

  let view = await call('instances/create', { displayName: 'Listed', catalogProviderId: 'openai', enabled: false });
  const listed = async () => JSON.stringify(await call('instances/models', { id: view.id }));
  /** Saves `params` onto the instance; returns whether the key moved, and checks the list moved with it (and only then). */
  const save = async (params, what) => {
    const [key, models] = [listedModelsKey(view), await listed()];
    view = params.enabled === undefined
      ? await call('instances/update', { id: view.id, version: view.version, ...params })
      : await call('instances/setEnabled', { id: view.id, enabled: params.enabled });
    const moved = listedModelsKey(view) !== key;
    if (!moved) assert.equal(await listed(), models, `${what} left the key but changed instances/models`);
    return moved;
  };

  assert.equal(await save({ enabled: true }, 'enabling'), false, 'enabling moved the list\'s key');
  assert.equal(await save({ displayName: 'Listed Renamed' }, 'a name'), false, 'a new name moved the list\'s key');
  assert.equal(await save({ endpoint: 'http://127.0.0.1:10/v1' }, 'an endpoint'), true, 'an endpoint left the list\'s key: instances/models asks the provider there');
  assert.equal(await save({ apiKey: 'sk-listed-key-0123456789' }, 'a key'), true, 'a key stored left the list\'s key: with a key, instances/models asks the provider');
  assert.equal(await save({ timeoutMs: 45_000 }, 'a timeout'), false, 'a timeout moved the list\'s key');
  const before = await listed();
  assert.equal(await save({ modelFilter: { allow: ['gpt-4o'] } }, 'a filter'), true, 'a model filter left the list\'s key');
  assert.notEqual(await listed(), before, 'the filter changed nothing: the test shows no list moving');
});
