import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { ProviderInstance } from '../../../extension/src/shared/protocol';
import { activatePlue, readTrace, until, within } from './support';

const providerCommands = [
	'plue.providers.configureKey', 'plue.providers.add', 'plue.providers.edit', 'plue.providers.remove', 'plue.providers.enable',
	'plue.providers.disable', 'plue.providers.test', 'plue.providers.browseModels', 'plue.providers.refresh',
];

suite('Plue providers', () => {
	let api: PlueApi;

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
	});

	/** The next `onDidChange` of the provider service, which the Providers view refreshes on. */
	function nextChange(): Promise<void> {
		return new Promise(resolve => {
			const listener = api.providers.onDidChange(() => {
				listener.dispose();
				resolve();
			});
		});
	}

	async function row(id: string): Promise<vscode.TreeItem | undefined> {
		return (await api.providerRows()).find(r => r.instance.id === id)?.item;
	}

	test('every provider command is registered and declared in package.json', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		const manifest = vscode.extensions.getExtension('plue.plue-vscode')?.packageJSON as { contributes: { commands: { command: string; category: string }[] } };
		for (const id of providerCommands) {
			assert.ok(registered.has(id), `${id} is not registered`);
			const declared = manifest.contributes.commands.find(c => c.command === id);
			assert.equal(declared?.category, 'Plue', `${id} is not declared in the Plue category`);
		}
	});

	test('the catalog lists providers and their priced models', async () => {
		const catalog = await api.providers.catalog();
		const anthropic = catalog.find(p => p.id === 'anthropic');
		assert.ok(anthropic, 'the catalog has no anthropic');
		const models = await api.providers.catalogModels('anthropic');
		assert.equal(models.length, anthropic.modelCount);
		// The Add picker's price range comes from these (the E2E checks its text).
		assert.ok(models.some(m => typeof m.prices?.input === 'number'), 'no anthropic model has an input price');
	});

	test('an instance created through the sidecar shows in the Providers view, enabled, without its key', async () => {
		await vscode.commands.executeCommand('plue.providers.focus');
		const changed = nextChange();
		const instance = await api.providers.create({ displayName: 'IT Anthropic', catalogProviderId: 'anthropic', apiKey: 'sk-it-create-0123456789' });
		await within(5000, changed, 'the Providers view to refresh');
		assert.equal(instance.hasKey, true);
		assert.ok(!JSON.stringify(instance).includes('sk-it-create-0123456789'), 'instances/create returned the key');
		const item = await row(instance.id);
		assert.ok(item, 'the new instance is not in the Providers view');
		assert.equal(item.label, 'IT Anthropic');
		assert.equal(item.description, 'enabled · untested');
		assert.equal(item.contextValue, 'plue.instance.enabled');
	});

	test('an instance without a key shows "no key"', async () => {
		const instance = await api.providers.create({ displayName: 'IT No Key', catalogProviderId: 'openai' });
		assert.equal(instance.hasKey, false);
		assert.equal((await row(instance.id))?.description, 'no key');
		await api.providers.remove(instance.id);
	});

	test('Disable and Enable Provider Instance change its row; enabling tests it: a refused key reads as failed, a taken one as tested', async () => {
		// A loopback OpenAI-compatible models list: 401 as OpenAI answers a wrong key, until `accept` is set.
		let accept = false;
		const server = http.createServer((_request, response) => {
			response.writeHead(accept ? 200 : 401, { 'content-type': 'application/json' });
			response.end(JSON.stringify(accept ? { object: 'list', data: [{ id: 'loop-1', object: 'model' }] } : { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } }));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as { port: number }).port;
		const instance = await api.providers.create({ displayName: 'IT Enable', catalogProviderId: 'deepseek', endpoint: `http://127.0.0.1:${port}/v1`, apiKey: 'sk-it-enable-0123456789' });
		try {
			let changed = nextChange();
			await vscode.commands.executeCommand('plue.providers.disable', instance.id);
			await within(5000, changed, 'a refresh after disabling');
			let item = await row(instance.id);
			assert.equal(item?.description, 'disabled');
			assert.equal(item?.contextValue, 'plue.instance.disabled');

			changed = nextChange();
			// The tree passes its row (the instance object) to context-menu commands.
			const refused = await vscode.commands.executeCommand<ProviderInstance | undefined>('plue.providers.enable', instance);
			await within(5000, changed, 'a refresh after enabling');
			assert.equal(refused?.enabled, true);
			assert.equal(refused?.lastTest?.fix, 'key');
			item = await row(instance.id);
			assert.match(String(item?.description), /^failed: .*rejected the API key/);
			assert.equal((item?.iconPath as vscode.ThemeIcon).id, 'error');
			assert.match((item?.tooltip as vscode.MarkdownString).value, /\[Configure Key…\]\(command:plue\.providers\.configureKey\?/);

			accept = true;
			changed = nextChange();
			const works = await vscode.commands.executeCommand<ProviderInstance | undefined>('plue.providers.enable', instance.id);
			await within(5000, changed, 'a refresh after enabling again');
			assert.equal(works?.lastTest?.ok, true);
			item = await row(instance.id);
			assert.match(String(item?.description), /^enabled · \d+ models?$/);
			assert.equal(item?.contextValue, 'plue.instance.enabled');
		} finally {
			server.close();
			await api.providers.remove(instance.id);
		}
	});

	test('a change to an instance draws its row again, the same row made current, never the whole tree', async () => {
		// VS Code forgets every row of a tree drawn again whole until it has read the tree again: a row's context-menu
		// command run in between reaches the command without its row (the E2E's "Edit Provider Instance" did so).
		const instance = await api.providers.create({ displayName: 'IT Redraw', catalogProviderId: 'openai' });
		const redraws: (ProviderInstance | ProviderInstance[] | undefined)[] = [];
		const listener = api.onDidChangeProviderRows(change => redraws.push(change));
		try {
			await within(5000, until(() => api.providers.known(instance.id) !== undefined), 'the instance in the store');
			const shown = (await api.providerRows()).find(r => r.instance.id === instance.id)?.instance;
			assert.ok(shown, 'the instance has no row');
			redraws.length = 0;
			await vscode.commands.executeCommand('plue.providers.disable', instance.id);
			await within(5000, until(() => redraws.length > 0), 'a redraw after disabling');
			assert.ok(redraws.every(change => Array.isArray(change) && change.includes(shown)),
				`the tree was drawn again as ${JSON.stringify(redraws.map(change => Array.isArray(change) ? change.map(row => row.displayName) : change))}, not row by row`);
			assert.equal(shown.enabled, false, 'the row VS Code holds still says enabled');
			assert.equal((await row(instance.id))?.contextValue, 'plue.instance.disabled');
		} finally {
			listener.dispose();
			await api.providers.remove(instance.id);
		}
	});

	test('Test Provider Instance reports what the sidecar found, honestly', async () => {
		const instance = await api.providers.create({ displayName: 'IT Test', catalogProviderId: 'openai' });
		try {
			const result = await vscode.commands.executeCommand<{ ok: boolean; error?: string } | undefined>('plue.providers.test', instance.id);
			assert.ok(result, 'plue.providers.test returned nothing');
			// No key and no network here: it must fail, and say why.
			assert.equal(result.ok, false);
			assert.match(result.error ?? '', /\S/);
		} finally {
			await api.providers.remove(instance.id);
		}
	});

	test('a failed test shows on the row as an error with its reason, not as enabled; its tooltip offers the fix and says when', async () => {
		// Port 9 refuses at once: an unreachable endpoint, mended by editing the instance.
		const instance = await api.providers.create({ displayName: 'IT Unreachable', catalogProviderId: 'deepseek', endpoint: 'http://127.0.0.1:9/v1', apiKey: 'sk-it-unreachable-0123' });
		try {
			const changed = nextChange();
			const result = await vscode.commands.executeCommand<{ ok: boolean; fix?: string } | undefined>('plue.providers.test', instance.id);
			await within(5000, changed, 'a refresh after the test');
			assert.equal(result?.ok, false);
			assert.equal(result?.fix, 'settings');
			const tested = (await api.providerRows()).find(r => r.instance.id === instance.id);
			assert.ok(tested, 'the instance has no row');
			assert.match(String(tested.item.description), /^failed: \S/);
			assert.equal((tested.item.iconPath as vscode.ThemeIcon).id, 'error');
			const tooltip = tested.item.tooltip as vscode.MarkdownString;
			assert.match(tooltip.value, /Last test: \*\*failed\*\* just now/);
			assert.match(tooltip.value, /\[Edit Provider…\]\(command:plue\.providers\.edit\?/);
		} finally {
			await api.providers.remove(instance.id);
		}
	});

	test('a key in the environment shows as a read-only "from $VAR" instance', async () => {
		process.env.DEEPSEEK_API_KEY = 'sk-it-env-4f9a2c7e';
		try {
			// The sidecar inherits the extension host's environment when it starts.
			await vscode.commands.executeCommand('plue.restartSidecar');
			await within(30_000, api.whenState('running'), 'the restarted sidecar');
			const item = await row('env:deepseek');
			assert.ok(item, 'no env:deepseek row');
			assert.equal(item.description, 'from $DEEPSEEK_API_KEY · untested');
			assert.equal(item.contextValue, 'plue.instance.env.enabled');
			const refused = await vscode.commands.executeCommand('plue.providers.disable', 'env:deepseek');
			assert.equal(refused, undefined, 'an environment instance was disabled');
		} finally {
			delete process.env.DEEPSEEK_API_KEY;
			await vscode.commands.executeCommand('plue.restartSidecar');
			await within(30_000, api.whenState('running'), 'the restarted sidecar');
		}
	});

	test('a removed instance leaves the Providers view', async () => {
		const instance = (await api.providers.instances()).find(i => i.displayName === 'IT Anthropic');
		assert.ok(instance);
		const changed = nextChange();
		await api.providers.remove(instance.id);
		await within(5000, changed, 'a refresh after removing');
		assert.equal(await row(instance.id), undefined);
	});

	test('a stored key is in the vault, and a verbose trace shows neither it nor an instance key', async () => {
		const secret = 'sk-it-trace-FAKE0TEST0ONLY';
		const config = vscode.workspace.getConfiguration('plue');
		await config.update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
		try {
			await vscode.commands.executeCommand('plue.restartSidecar');
			await within(30_000, api.whenState('running'), 'the restarted sidecar');
			await api.providers.storeKey('vault://groq/default', secret);
			assert.equal(await api.providers.hasKey('vault://groq/default'), true);
			assert.ok((await api.providers.vaultRefs()).includes('vault://groq/default'));
			const created = await api.providers.create({ displayName: 'IT Trace', catalogProviderId: 'groq', apiKey: `${secret}-instance` });
			await api.providers.remove(created.id);
			const trace = await within(10_000, until(() => readTrace(api.logPath).includes(`Received response 'instances/delete`)).then(() => readTrace(api.logPath)), 'the trace');
			// Custom messages: a failing assertion must not print the trace, which would hold the key.
			assert.ok(trace.includes(`Sending request 'vault/store`), 'the trace has no vault/store request');
			assert.ok(!trace.includes(secret), 'the trace shows a key');
			assert.ok(trace.includes('«secret»'), 'the trace shows no redaction mark');
		} finally {
			await config.update('trace.server', undefined, vscode.ConfigurationTarget.Global);
		}
	});

	test('no log file of the extension holds a key', () => {
		const files = fs.readdirSync(api.logPath, { recursive: true, encoding: 'utf8' }).map(name => path.join(api.logPath, name)).filter(f => fs.statSync(f).isFile());
		assert.ok(files.length > 0, 'no log files');
		for (const file of files) {
			const text = fs.readFileSync(file, 'utf8');
			assert.ok(!text.includes('sk-it-'), `${path.basename(file)} holds a key`);
		}
	});
});
