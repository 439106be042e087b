import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { CatalogModel, ProviderInstance } from '../../../extension/src/shared/protocol';
import { activatePlue, enterUntilSettled, QuickInputs, quickInputs, within } from './support';

// The provider commands as the palette runs them, their quick picks and input boxes answered with Enter (the test
// host cannot type; tests/e2e types), against the real sidecar and loopback providers: a local Ollama-compatible
// server found on its port, a gateway of the user's own catalog that refuses the key (401), and one that is down.

/** Waits for the next quick input (`what`) a command shows, its items loaded, then presses Enter on it. */
async function enter(inputs: QuickInputs, what: string): Promise<void> {
	await inputs.shown(what);
	await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/** Waits for the next quick input (`what`) a command shows, then presses Escape on it. */
async function escape(inputs: QuickInputs, what: string): Promise<void> {
	await inputs.shown(what);
	await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
}

/** A loopback server: `routes` by path; anything else is a 404. */
async function loopback(routes: Record<string, { status?: number; body: unknown }>): Promise<{ port: number; close(): void }> {
	const server = http.createServer((request, response) => {
		const route = routes[(request.url ?? '').split('?')[0]];
		response.writeHead(route ? route.status ?? 200 : 404, { 'content-type': 'application/json' });
		response.end(JSON.stringify(route?.body ?? { error: 'not found' }));
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

suite('Plue provider commands', () => {
	let api: PlueApi;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-it-providers-'));
	const probed = process.env.PLUE_LOCAL_SERVER_PORTS;

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		await vscode.commands.executeCommand('plue.providers.focus');
	});

	suiteTeardown(() => {
		if (probed === undefined) {
			delete process.env.PLUE_LOCAL_SERVER_PORTS;
		} else {
			process.env.PLUE_LOCAL_SERVER_PORTS = probed;
		}
		fs.rmSync(scratch, { recursive: true, force: true });
	});

	async function row(id: string): Promise<vscode.TreeItem | undefined> {
		return (await api.providerRows()).find(r => r.instance.id === id)?.item;
	}

	/**
	 * Runs Add Provider Instance from the palette, moves to `providerId` (supported providers come first, in the
	 * catalog's order) and presses Enter on it and on each of the `steps` after it; resolves to what the command returned.
	 */
	async function addThroughSteps(providerId: string, steps: number, offered?: ReadonlySet<string>): Promise<ProviderInstance | undefined> {
		const at = (await api.providers.catalog()).filter(p => p.supported && (!offered || offered.has(p.id))).findIndex(p => p.id === providerId);
		assert.ok(at >= 0, `Add Provider does not offer ${providerId}`);
		const inputs = await quickInputs();
		const adding = vscode.commands.executeCommand<ProviderInstance | undefined>('plue.providers.add');
		await inputs.shown('the provider pick');
		await vscode.commands.executeCommand('quickInput.first');
		for (let i = 0; i < at; i++) {
			await vscode.commands.executeCommand('quickInput.next');
		}
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		for (let i = 0; i < steps; i++) {
			await enter(inputs, `step ${i + 2} of Add Provider (${providerId})`);
		}
		return within(20_000, Promise.resolve(adding), `Add Provider (${providerId}) to finish`);
	}

	/** Imports a Catwalk provider file as a custom catalog; returns the catalog record's id. */
	async function importCatalog(provider: Record<string, unknown>): Promise<string> {
		const file = path.join(scratch, `${String(provider.id)}.json`);
		fs.writeFileSync(file, JSON.stringify(provider));
		const id = await vscode.commands.executeCommand<string | undefined>('plue.catalogs.import', vscode.Uri.file(file));
		assert.ok(id, `the catalog ${String(provider.id)} did not import`);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		return id;
	}

	/** A loopback gateway answering `/v1/models` as `answer` says, and a catalog of the user's own for it with one model; local servers are not probed. */
	async function gatewayCatalog(provider: { id: string; name: string; type: string; api_key: string }, answer: { status?: number; body: unknown }, model: string): Promise<{ gateway: { close(): void }; catalogId: string }> {
		const gateway = await loopback({ '/v1/models': answer });
		process.env.PLUE_LOCAL_SERVER_PORTS = '';
		const catalogId = await importCatalog({
			...provider, api_endpoint: `http://127.0.0.1:${gateway.port}/v1`,
			models: [{ id: model, name: model, cost_per_1m_in: 1, cost_per_1m_out: 2, context_window: 32000 }],
		});
		return { gateway, catalogId };
	}

	async function removeAll(instance: ProviderInstance | undefined, catalogId: string): Promise<void> {
		if (instance) {
			await api.providers.remove(instance.id);
		}
		assert.ok(api.client);
		await api.client.sendRequest('codex/delete', { id: catalogId });
	}

	test('Add Provider offers the local servers found answering on their ports first, each added in one click and tested, then no more', async () => {
		const ollama = await loopback({
			'/api/version': { body: { version: '0.9.0' } },
			'/api/tags': { body: { models: [{ name: 'it-llama:8b', model: 'it-llama:8b', size: 1, details: {} }] } },
			'/api/show': { body: { model_info: { 'llama.context_length': 8192 }, capabilities: ['completion'] } },
			'/v1/models': { body: { object: 'list', data: [{ id: 'it-llama:8b', object: 'model', owned_by: 'library' }] } },
		});
		// An OpenAI-compatible server is named by what its models say owns them: vLLM here.
		const vllm = await loopback({ '/v1/models': { body: { object: 'list', data: [{ id: 'it-qwen', object: 'model', owned_by: 'vllm' }] } } });
		process.env.PLUE_LOCAL_SERVER_PORTS = `ollama:${ollama.port},openai:${vllm.port}`;
		const added: ProviderInstance[] = [];
		try {
			for (const [name, endpoint] of [['Ollama', `http://127.0.0.1:${ollama.port}`], ['vLLM', `http://127.0.0.1:${vllm.port}/v1`]]) {
				// The first found server not added yet heads the list: Enter adds it.
				const instance = await enterUntilSettled(vscode.commands.executeCommand<ProviderInstance | undefined>('plue.providers.add'), `Add Provider to add ${name}`, { ms: 30_000, everyMs: 1000 });
				assert.ok(instance, 'Add Provider added nothing');
				added.push(instance);
				assert.equal(instance.displayName, name);
				assert.equal(instance.endpoint, endpoint);
				assert.equal(instance.hasKey, false);
				const tested = await api.providers.instance(instance.id);
				assert.equal(tested.lastTest?.ok, true, tested.lastTest?.error ?? 'never tested');
				assert.equal((await row(instance.id))?.contextValue, 'plue.instance.enabled');
			}

			// Both added, neither is offered again: the list starts with the catalog (Escape adds nothing).
			const inputs = await quickInputs();
			const again = vscode.commands.executeCommand<ProviderInstance | undefined>('plue.providers.add');
			await escape(inputs, 'the provider pick');
			assert.equal(await within(10_000, Promise.resolve(again), 'Add Provider to be cancelled'), undefined);
			const endpoints = (await api.providers.instances()).map(i => i.endpoint);
			assert.equal(endpoints.filter(e => e === added[0].endpoint || e === added[1].endpoint).length, 2, 'a server was added twice');
		} finally {
			ollama.close();
			vllm.close();
			for (const instance of added) {
				await api.providers.remove(instance.id);
			}
		}
	});

	test('Add Provider through its steps: a catalog of the user\'s own, its endpoint and stored key; a 401 shows as a failed key on the row', async () => {
		const { gateway, catalogId } = await gatewayCatalog({ id: '0-it-gateway', name: 'IT Gateway', type: 'openai-compat', api_key: '$IT_GATEWAY_API_KEY' },
			{ status: 401, body: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } }, 'gate-1');
		let added: ProviderInstance | undefined;
		try {
			await api.providers.storeKey('vault://0-it-gateway/default', 'sk-it-gateway-refused-0123');
			// Enter on the name (as suggested), the endpoint (empty: the catalog's) and the key (empty: the stored one).
			added = await addThroughSteps('0-it-gateway', 3);
			assert.ok(added, 'Add Provider added nothing');
			assert.equal(added.displayName, 'IT Gateway');
			assert.equal(added.catalogProviderId, '0-it-gateway');
			assert.equal(added.apiKeyRef, 'vault://0-it-gateway/default');

			const tested = await api.providers.instance(added.id);
			assert.equal(tested.lastTest?.ok, false, 'a refused key passed the test');
			assert.equal(tested.lastTest?.fix, 'key');
			const item = await row(added.id);
			assert.match(String(item?.description), /^failed: /);
			assert.match((item?.tooltip as vscode.MarkdownString).value, /\[Configure Key…\]\(command:plue\.providers\.configureKey\?/);

			// Configure Key asks for the new key; Escape stores nothing and the instance keeps its failed test.
			const inputs = await quickInputs();
			const configuring = vscode.commands.executeCommand<string | undefined>('plue.providers.configureKey', added.id);
			await escape(inputs, 'the key box');
			assert.equal(await within(10_000, Promise.resolve(configuring), 'Configure Key to be cancelled'), undefined);
			assert.equal((await api.providers.instance(added.id)).lastTest?.ok, false);
		} finally {
			gateway.close();
			await removeAll(added, catalogId);
		}
	});

	test('Add Provider on an Anthropic-compatible gateway asks whether it takes an API key or an auth token; with the key it passes its test', async () => {
		const gateway = await loopback({ '/v1/models': { body: { data: [{ id: 'gate-claude', type: 'model', display_name: 'Gate Claude', created_at: '2025-01-01T00:00:00Z' }], has_more: false, first_id: 'gate-claude', last_id: 'gate-claude' } } });
		process.env.PLUE_LOCAL_SERVER_PORTS = '';
		const catalogId = await importCatalog({
			id: '0-it-claude-gate', name: 'IT Claude Gate', type: 'anthropic', api_key: '$IT_CLAUDE_GATE_KEY', api_endpoint: `http://127.0.0.1:${gateway.port}`,
			models: [{ id: 'gate-claude', name: 'Gate Claude', cost_per_1m_in: 3, cost_per_1m_out: 15, context_window: 200000 }],
		});
		let added: ProviderInstance | undefined;
		try {
			await api.providers.storeKey('vault://0-it-claude-gate/default', 'it-claude-gate-key-0123');
			// Name, endpoint, credential (the first: API key), key (the stored one).
			added = await addThroughSteps('0-it-claude-gate', 4);
			assert.ok(added, 'Add Provider added nothing');
			assert.equal(added.apiKeyRef, 'vault://0-it-claude-gate/default');
			const tested = await api.providers.instance(added.id);
			assert.equal(tested.lastTest?.ok, true, tested.lastTest?.error ?? 'never tested');
			assert.match(String((await row(added.id))?.description), /^enabled · 1 model$/);
		} finally {
			gateway.close();
			await removeAll(added, catalogId);
		}
	});

	test('Add Provider on Amazon Bedrock asks for its region and credential instead of a key; empty answers keep the defaults', async () => {
		process.env.PLUE_LOCAL_SERVER_PORTS = '';
		// Name, endpoint, region (empty: the catalog's), credential (the first: an AWS profile), profile (empty: default).
		const added = await addThroughSteps('bedrock', 5);
		try {
			assert.ok(added, 'Add Provider added nothing');
			assert.equal(added.catalogProviderId, 'bedrock');
			assert.equal(added.hasKey, false, 'a profile credential stored a key');
			assert.ok((await api.providers.instance(added.id)).lastTest, 'the new instance was not tested');
		} finally {
			if (added) {
				await api.providers.remove(added.id);
			}
		}
	});

	test('Seed 004\'s template through every door: Add Provider offers its providers, asks the model it requires and no endpoint it does not apply', async () => {
		const home = process.env.PLUE_HOME;
		assert.ok(home, 'PLUE_HOME is not set');
		const file = path.join(home, 'templates', 'llm-provider.json5');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.copyFileSync(path.resolve(__dirname, '../../../tests/fixtures/templates/design-notes/llm-provider.json5'), file);
		// OpenAI, one of the four the notes' template offers, at a loopback endpoint.
		const { gateway, catalogId } = await gatewayCatalog({ id: 'openai', name: 'OpenAI', type: 'openai', api_key: '$OPENAI_API_KEY' },
			{ body: { object: 'list', data: [{ id: 'loop-1', object: 'model' }] } }, 'loop-1');
		let added: ProviderInstance | undefined;
		try {
			assert.ok(api.client);
			const client = api.client;
			await within(15_000, (async () => {
				while (!(await client.sendRequest<{ id: string; source: string; usable: boolean }[]>('templates/list', {})).some(t => t.id === 'llm-provider' && t.source === 'home' && t.usable)) {
					await new Promise(resolve => setTimeout(resolve, 200));
				}
			})(), 'the sidecar to load the notes\' template');
			await api.providers.storeKey('vault://openai/default', 'sk-it-notes-template-0123');
			// Only the template's four providers are offered. Name, model (the first the catalog lists), key (the stored
			// one): the template gives OpenAI no endpoint, so none is asked (the catalog's is used).
			added = await addThroughSteps('openai', 3, new Set(['claude-code', 'anthropic', 'openai', 'ollama']));
			assert.ok(added, 'Add Provider added nothing');
			assert.equal(added.defaultModel, 'loop-1');
			assert.equal(added.endpointOverride ?? undefined, undefined);
			assert.equal((await api.providers.instance(added.id)).lastTest?.ok, true);

			// The form Fill in a Form opens for the provider hides the endpoint the template gives to Ollama alone.
			const template = await api.providers.template();
			assert.deepEqual(template.fields.find(f => f.name === 'endpoint')?.conditional, { field: 'provider_type', value: 'ollama' });
		} finally {
			gateway.close();
			fs.rmSync(file, { force: true });
			await removeAll(added, catalogId);
			// The sidecar reads its templates again shortly after the file goes (its watcher waits for writes to settle): the
			// next test must meet the shipped template, not the notes' (which offers four providers).
			const client = api.client;
			if (client) {
				await within(15_000, (async () => {
					while ((await client.sendRequest<{ id: string; source: string }[]>('templates/list', {})).some(t => t.id === 'llm-provider' && t.source === 'home')) {
						await new Promise(resolve => setTimeout(resolve, 100));
					}
				})(), 'the sidecar to drop the notes\' template');
			}
		}
	});

	test('Configure Provider Key from the palette asks which provider first; Escape on the key stores nothing', async () => {
		const before = await api.providers.vaultRefs();
		const inputs = await quickInputs();
		const configuring = vscode.commands.executeCommand<string | undefined>('plue.providers.configureKey');
		await enter(inputs, 'the provider pick'); // the first provider
		await escape(inputs, 'its key box');
		assert.equal(await within(10_000, Promise.resolve(configuring), 'Configure Key to be cancelled'), undefined);
		assert.deepEqual(await api.providers.vaultRefs(), before, 'a cancelled Configure Key stored something');
	});

	test('Browse Models lists an instance\'s models from the provider itself, or a catalog provider\'s; Enter picks one', async () => {
		const server = await loopback({ '/v1/models': { body: { object: 'list', data: [{ id: 'browse-1', object: 'model' }] } } });
		const instance = await api.providers.create({ displayName: 'IT Browse', catalogProviderId: 'openai-compatible', endpoint: `http://127.0.0.1:${server.port}/v1` });
		try {
			let inputs = await quickInputs();
			const browsing = vscode.commands.executeCommand<CatalogModel | undefined>('plue.providers.browseModels', instance.id);
			await enter(inputs, 'the instance\'s models');
			assert.equal((await within(10_000, Promise.resolve(browsing), 'Browse Models to answer'))?.id, 'browse-1', 'the model is not the one the server lists');

			// From the palette: a catalog provider (the first), then its catalog models.
			const provider = (await api.providers.catalog()).filter(p => p.supported)[0];
			inputs = await quickInputs();
			const fromCatalog = vscode.commands.executeCommand<CatalogModel | undefined>('plue.providers.browseModels');
			await enter(inputs, 'the provider pick');
			await enter(inputs, 'the provider\'s models');
			const first = await within(10_000, Promise.resolve(fromCatalog), 'Browse Models of a catalog provider');
			assert.ok((await api.providers.catalogModels(provider.id)).some(m => m.id === first?.id), `the model picked is not one of ${provider.name}'s`);
		} finally {
			server.close();
			await api.providers.remove(instance.id);
		}
	});

	test('Remove Provider Instance on a row deletes the instance and its row; on an id that is gone it removes nothing', async () => {
		const instance = await api.providers.create({ displayName: 'IT Remove', catalogProviderId: 'openai' });
		const row0 = (await api.providerRows()).find(r => r.instance.id === instance.id);
		assert.ok(row0, 'the instance has no row');
		// The tree passes its row; `confirmed` stands for the modal question the test host cannot answer.
		assert.equal(await vscode.commands.executeCommand('plue.providers.remove', row0.instance, { confirmed: true }), true);
		assert.equal(await row(instance.id), undefined, 'the removed instance is still in the view');
		await assert.rejects(api.providers.instance(instance.id), /./);

		assert.equal(await vscode.commands.executeCommand('plue.providers.remove', instance.id, { confirmed: true }), false);
	});

	test('Refresh reads the instances again', async () => {
		const changed = new Promise<void>(resolve => {
			const listener = api.providers.onDidChange(() => {
				listener.dispose();
				resolve();
			});
		});
		await vscode.commands.executeCommand('plue.providers.refresh');
		await within(5000, changed, 'the Providers view to refresh');
	});
});
