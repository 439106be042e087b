import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi, SettingsWebviewPeer } from '../host/plueApi';
import type { CodexListResult, CodexRecord, TemplateSummary } from '../../../extension/src/shared/protocol';
import type { SettingsHostMessage, SettingsWebviewMessage } from '../../../extension/src/shared/settingsMessages';
import { activatePlue, enterUntilSettled, quickInputs, until, within } from './support';

// The settings panels (Plue: Open Settings, a record's form, a new record's, a task's) against the real sidecar. The
// test speaks for the webview: it hands the panel the messages the page posts (Save, Undo, a secret, a model list) and
// reads what the panel posts back; the records are read from the sidecar. tests/webview draws the same messages, and
// tests/e2e clicks through the page itself.

type Posted<T extends SettingsHostMessage['type']> = Extract<SettingsHostMessage, { type: T }>;

suite('Plue settings panels', () => {
	let api: PlueApi;
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-it-settings-'));

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
	});

	suiteTeardown(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		fs.rmSync(scratch, { recursive: true, force: true });
	});

	function request<T>(method: string, params: unknown): Promise<T> {
		assert.ok(api.client, 'no client');
		return api.client.sendRequest<T>(method, params);
	}

	/** The open panel of `key` (it opens from a command, so it may take a moment). */
	async function panel(key: string): Promise<SettingsWebviewPeer> {
		await within(10_000, until(() => api.settingsPanel(key) !== undefined), `the settings panel ${key}`);
		const found = api.settingsPanel(key);
		assert.ok(found);
		return found;
	}

	/** The next message of `type` the panel posts (matching `where`). Call it before the message that causes it. */
	function next<T extends SettingsHostMessage['type']>(peer: SettingsWebviewPeer, type: T, where: (m: Posted<T>) => boolean = () => true): Promise<Posted<T>> {
		return within(15_000, new Promise<Posted<T>>(resolve => {
			const listener = peer.onDidPost(message => {
				if (message.type === type && where(message as Posted<T>)) {
					listener.dispose();
					resolve(message as Posted<T>);
				}
			});
		}), `the panel to post '${type}'`);
	}

	/** Hands the panel `message` as its webview would, and waits for the first `type` it posts back. */
	async function exchange<T extends SettingsHostMessage['type']>(peer: SettingsWebviewPeer, message: SettingsWebviewMessage, type: T, where?: (m: Posted<T>) => boolean): Promise<Posted<T>> {
		const answer = next(peer, type, where);
		await peer.receive(message);
		return answer;
	}

	/**
	 * Asks the form for its History and takes its first choice with Enter: the notice that follows. The pick shows after
	 * a request, so Enter is pressed until something answers; on a loaded machine a webview that finishes loading can
	 * take the focus and close the pick unanswered, so History is asked again (at most three times).
	 */
	async function historyUndo(form: SettingsWebviewPeer): Promise<Posted<'notice'>> {
		const notice = next(form, 'notice');
		for (let attempt = 1; ; attempt++) {
			await enterUntilSettled(form.receive({ type: 'history' }), 'History to answer');
			const told = await Promise.race([notice, new Promise<undefined>(resolve => setTimeout(resolve, 1000, undefined))]);
			if (told || attempt === 3) {
				return told ?? notice;
			}
		}
	}

	function settingsTabs(): vscode.Tab[] {
		return vscode.window.tabGroups.all.flatMap(group => group.tabs)
			.filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('plue.settings'));
	}

	/** A loopback OpenAI-compatible server listing two models. */
	async function modelServer(): Promise<{ endpoint: string; close(): void }> {
		const server = http.createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ object: 'list', data: [{ id: 'loop-small', object: 'model' }, { id: 'loop-large', object: 'model' }] }));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, close: () => server.close() };
	}

	test('Open Settings lists the records of each usable template, providers first with their own New, and filters by tag', async () => {
		const instance = await api.providers.create({ displayName: 'IT Settings Home', catalogProviderId: 'openai' });
		try {
			await request('codex/update', { id: instance.id, version: instance.version, tags: ['it-home'] });
			await vscode.commands.executeCommand('plue.settings.open');
			const home = await panel('home');
			const listed = await exchange(home, { type: 'ready' }, 'home', m => m.groups.some(g => g.records.some(r => r.title === 'IT Settings Home')));
			assert.deepEqual(listed.groups.slice(0, 2).map(g => g.templateId), ['llm-provider', 'ai-chat'], 'providers and chats come first');
			const providers = listed.groups[0];
			assert.equal(providers.newLabel, 'Add Provider Instance');
			assert.match(providers.records.find(r => r.title === 'IT Settings Home')?.detail ?? '', /^codex:\/\/providers\/\S+ · changed /);
			assert.equal(listed.groups.find(g => g.templateId === 'task')?.newLabel, 'Run Task');
			assert.equal(listed.groups.find(g => g.templateId === 'catalog')?.newLabel, 'New');
			assert.ok(listed.tags.includes('it-home'), 'the record\'s tag is not offered as a filter');

			const filtered = await exchange(home, { type: 'filterTag', tag: 'it-home' }, 'home');
			assert.equal(filtered.tag, 'it-home');
			assert.deepEqual(filtered.groups.map(g => g.records.map(r => r.title)), [['IT Settings Home']], 'the filter shows only the tagged record');
			const all = await exchange(home, { type: 'filterTag' }, 'home');
			assert.equal(all.tag, undefined);
			assert.ok(all.groups.length > 1);

			// Open draws the record's form in a panel of its own, titled by the record.
			await home.receive({ type: 'open', id: instance.id });
			const form = await panel(`record:${instance.id}`);
			const drawn = await exchange(form, { type: 'ready' }, 'form');
			assert.equal(drawn.form.mode, 'edit');
			assert.equal(drawn.form.title, 'IT Settings Home');
			await within(5000, until(() => settingsTabs().some(t => t.label === 'IT Settings Home Settings')), 'the form\'s tab title');

			// New on a template without a command of its own opens an empty form of it.
			await home.receive({ type: 'new', templateId: 'catalog' });
			const blank = await panel('new:catalog');
			const empty = await exchange(blank, { type: 'ready' }, 'form');
			assert.equal(empty.form.mode, 'create');
			assert.equal(empty.form.submitLabel, 'Create');
			await blank.receive({ type: 'close' });
			assert.equal(api.settingsPanel('new:catalog'), undefined, 'Close left the new form open');

			await home.receive({ type: 'close' });
			assert.equal(api.settingsPanel('home'), undefined, 'Close left the home open');
		} finally {
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('Open Record takes an id or a row that carries one, and says which it opened', async () => {
		const instance = await api.providers.create({ displayName: 'IT Open Record', catalogProviderId: 'openai' });
		try {
			assert.equal(await vscode.commands.executeCommand('plue.settings.openRecord', { id: instance.id }), instance.id);
			assert.equal(await vscode.commands.executeCommand('plue.settings.openRecord', { session: { id: instance.id } }), instance.id);
			assert.equal(await vscode.commands.executeCommand('plue.settings.openRecord', {}), undefined, 'a row without an id opened something');
			// The test speaks for the webview, as the other tests do: on a loaded machine code-server's own webview can
			// take longer than any bound to load (its service worker is re-registered), which is not what this test is about.
			await exchange(await panel(`record:${instance.id}`), { type: 'ready' }, 'form');
			await within(10_000, until(() => settingsTabs().some(t => t.label === 'IT Open Record Settings')), 'the form\'s tab');
			assert.equal(settingsTabs().length, 1, 'opening the same record twice made two panels');
		} finally {
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('a form is named by its row\'s title before it loads, and one that could not load is asked again when opened again', async () => {
		const instance = await api.providers.create({ displayName: 'IT Comes Back', catalogProviderId: 'openai' });
		await api.providers.remove(instance.id);
		try {
			// Opened while its record is gone: the tab has the row's name at once, the form says what failed.
			await vscode.commands.executeCommand('plue.settings.openRecord', { id: instance.id, title: 'IT Comes Back' });
			const form = await panel(`record:${instance.id}`);
			// (The form cannot load: its name can only come from the row.)
			await within(10_000, until(() => settingsTabs().some(t => t.label === 'IT Comes Back Settings')), 'the tab named by the row');
			const failed = await exchange(form, { type: 'ready' }, 'notice');
			assert.equal(failed.error, true);
			assert.match(failed.text ?? '', /^Could not open the settings: /);

			// The record is back (undo of its deletion); Edit chosen again draws the form, in the same panel.
			assert.equal((await request<{ record: CodexRecord | null }>('codex/undo', { id: instance.id })).record?.title, 'IT Comes Back');
			const drawn = next(form, 'form');
			await vscode.commands.executeCommand('plue.settings.openRecord', { id: instance.id, title: 'IT Comes Back' });
			assert.equal((await drawn).form.title, 'IT Comes Back');
			assert.equal(settingsTabs().length, 1, 'opening it again made a second panel');
		} finally {
			await api.providers.remove(instance.id).catch(() => undefined);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('a provider\'s form: a refused field is told beside it and nothing is saved; Save stores a version; Undo and History bring back the last', async () => {
		const models = await modelServer();
		const instance = await api.providers.create({ displayName: 'IT Form', catalogProviderId: 'openai-compatible', endpoint: models.endpoint });
		try {
			const original = await request<CodexRecord>('codex/get', { id: instance.id });
			// Edit Provider opens the instance's form.
			assert.equal(await vscode.commands.executeCommand('plue.providers.edit', instance.id), instance.id);
			const form = await panel(`record:${instance.id}`);
			const drawn = await exchange(form, { type: 'ready' }, 'form');
			assert.equal(drawn.form.values.endpoint, models.endpoint);
			assert.equal(drawn.form.submitLabel, 'Save');

			const refused = await exchange(form, { type: 'save', title: 'IT Form', fields: { timeout_ms: 5 } }, 'errors');
			assert.match(refused.fields.timeout_ms ?? '', /\S/, 'no message beside the refused field');
			assert.equal(refused.message, 'Nothing was saved: correct the fields marked below.');
			assert.equal((await request<CodexRecord>('codex/get', { id: instance.id })).version, instance.version, 'a refused save stored something');

			const saved = await exchange(form, { type: 'save', title: 'IT Form Renamed', fields: { timeout_ms: 20000 } }, 'notice');
			assert.equal(saved.text, 'Saved.');
			let record = await request<CodexRecord>('codex/get', { id: instance.id });
			assert.equal(record.title, 'IT Form Renamed');
			assert.equal(record.fields.timeout_ms, 20000);
			assert.equal(record.version, instance.version + 1);

			const undone = await exchange(form, { type: 'undo' }, 'notice');
			assert.equal(undone.text, 'The latest change is undone.');
			record = await request<CodexRecord>('codex/get', { id: instance.id });
			assert.equal(record.title, 'IT Form');
			assert.equal(record.fields.timeout_ms, original.fields.timeout_ms);

			// History lists the changes, newest first, under "Undo the latest change" (Enter takes it).
			await exchange(form, { type: 'save', title: 'IT Form', fields: { timeout_ms: 30000 } }, 'notice');
			assert.equal((await historyUndo(form)).text, 'The latest change is undone.');
			assert.equal((await request<CodexRecord>('codex/get', { id: instance.id })).fields.timeout_ms, original.fields.timeout_ms);

			// The form's model boxes suggest what the instance lists.
			const suggested = await exchange(form, { type: 'models', instance: '' }, 'models', m => m.instance === '');
			assert.deepEqual(suggested.models.map(m => m.value).sort(), ['loop-large', 'loop-small']);
			const unknown = await exchange(form, { type: 'models', instance: 'codex://providers/no-such' }, 'models', m => m.instance === 'codex://providers/no-such');
			assert.deepEqual(unknown.models, [], 'an unknown instance has suggestions');
		} finally {
			models.close();
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	/** Polls `check` (a sidecar read) until it holds. */
	async function eventually(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
		await within(ms, (async () => {
			while (!await check()) {
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		})(), what);
	}

	test('a form save that leaves a tested provider untested tests it again at once, against what was saved', async () => {
		const first = await modelServer();
		// The endpoint the form moves it to: counts the requests that reach it (only a test sends any).
		let reached = 0;
		const moved = http.createServer((_request, response) => {
			reached++;
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ object: 'list', data: [{ id: 'moved-1', object: 'model' }] }));
		});
		await new Promise<void>(resolve => moved.listen(0, '127.0.0.1', resolve));
		const movedEndpoint = `http://127.0.0.1:${(moved.address() as { port: number }).port}/v1`;
		const instance = await api.providers.create({ displayName: 'IT Retest', catalogProviderId: 'openai-compatible', endpoint: first.endpoint });
		try {
			await vscode.commands.executeCommand('plue.providers.test', instance.id);
			await eventually(async () => (await api.providers.instance(instance.id)).lastTest?.ok === true, 'the first test');
			await vscode.commands.executeCommand('plue.providers.edit', instance.id);
			const form = await panel(`record:${instance.id}`);
			await exchange(form, { type: 'ready' }, 'form');
			assert.equal(reached, 0);
			const saved = await exchange(form, { type: 'save', title: 'IT Retest', fields: { endpoint: movedEndpoint } }, 'notice');
			assert.equal(saved.text, 'Saved.');
			// Nobody pressed Test: the save that made it untested tested it again, at the new endpoint.
			await eventually(async () => reached > 0 && (await api.providers.instance(instance.id)).lastTest?.ok === true, 'the re-test of the saved endpoint');
		} finally {
			first.close();
			moved.close();
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('Delete Catalog… on a Providers row deletes the custom catalog its instance uses', async () => {
		const file = path.join(scratch, 'it-row-catalog.json');
		fs.writeFileSync(file, JSON.stringify({
			id: 'it-rowcat', name: 'IT Row Catalog', type: 'openai-compat', api_key: '$IT_ROWCAT_API_KEY', api_endpoint: 'https://api.rowcat.example/v1',
			models: [{ id: 'rowcat-1', name: 'Rowcat 1', cost_per_1m_in: 1, cost_per_1m_out: 2, context_window: 8000 }],
		}));
		const id = await vscode.commands.executeCommand<string | undefined>('plue.catalogs.import', vscode.Uri.file(file));
		assert.ok(id, 'the import made no record');
		const instance = await api.providers.create({ displayName: 'IT Row Catalog User', catalogProviderId: 'it-rowcat' });
		try {
			await eventually(async () => (await api.providerRows()).some(r => r.instance.id === instance.id), 'the instance\'s row');
			const row = (await api.providerRows()).find(r => r.instance.id === instance.id);
			assert.ok(row);
			// The row's menu passes its instance; `confirmed` stands for the modal question (naming this instance) the host cannot answer.
			assert.equal(await vscode.commands.executeCommand('plue.catalogs.delete', row.instance, { confirmed: true }), true);
			assert.equal((await request<CodexListResult>('codex/list', { templateId: 'catalog' })).items.some(r => r.id === id), false, 'the catalog record is still there');
			assert.equal((await api.providers.catalog()).some(p => p.id === 'it-rowcat'), false, 'Add Provider still offers the deleted catalog');
		} finally {
			await request('codex/delete', { id }).catch(() => undefined);
			await api.providers.remove(instance.id).catch(() => undefined);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('a secret typed in a form goes to the vault, and the record holds only its reference', async () => {
		const secret = 'sk-it-form-secret-Q7vT2';
		const instance = await api.providers.create({ displayName: 'IT Form Secret', catalogProviderId: 'openai' });
		try {
			await vscode.commands.executeCommand('plue.settings.openRecord', instance.id);
			const form = await panel(`record:${instance.id}`);
			await exchange(form, { type: 'ready' }, 'form');
			const stored = await exchange(form, { type: 'setSecret', field: 'api_key_ref', value: secret }, 'secretSet');
			assert.equal(stored.field, 'api_key_ref');
			assert.match(stored.ref, /^vault:\/\/providers\/\S+$/);
			assert.equal(await api.providers.hasKey(stored.ref), true, 'the secret is not in the vault');

			const saved = await exchange(form, { type: 'save', title: 'IT Form Secret', fields: { api_key_ref: stored.ref } }, 'notice');
			assert.equal(saved.text, 'Saved.');
			const record = await request<CodexRecord>('codex/get', { id: instance.id });
			assert.equal(record.fields.api_key_ref, stored.ref);
			assert.ok(!JSON.stringify(record).includes(secret), 'the record holds the secret');
			assert.equal((await api.providers.instance(instance.id)).hasKey, true);
		} finally {
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('an open form follows its record: a change elsewhere is drawn keeping unsaved edits; a deletion elsewhere is told', async () => {
		const instance = await api.providers.create({ displayName: 'IT Form Elsewhere', catalogProviderId: 'openai' });
		await vscode.commands.executeCommand('plue.settings.openRecord', instance.id);
		const form = await panel(`record:${instance.id}`);
		await exchange(form, { type: 'ready' }, 'form');

		const redrawn = next(form, 'form');
		const told = next(form, 'notice');
		const changed = await request<CodexRecord>('codex/update', { id: instance.id, version: instance.version, title: 'IT Form Changed Elsewhere' });
		assert.equal((await redrawn).keepEdits, true);
		assert.equal((await redrawn).form.title, 'IT Form Changed Elsewhere');
		assert.equal((await told).text, `Changed elsewhere: the form shows version ${changed.version}. Anything you typed and have not saved is kept.`);

		const deleted = next(form, 'notice');
		await api.providers.remove(instance.id);
		assert.equal((await deleted).text, 'This record was deleted elsewhere: saving it is no longer possible. Close this form.');
		assert.equal((await deleted).error, true);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('a template of the user\'s own: its form refuses a missing required field, Create stores the record and becomes its form; Undo removes it', async () => {
		const home = process.env.PLUE_HOME;
		assert.ok(home, 'PLUE_HOME is not set');
		const file = path.join(home, 'templates', 'it-note.json5');
		fs.mkdirSync(path.dirname(file), { recursive: true });
		// JSON is JSON5 too.
		fs.writeFileSync(file, JSON.stringify({
			id: 'it-note', name: 'IT Note', version: 1, collection: 'it-notes', description: 'A note of the integration suite\'s own.',
			fields: { body: { type: 'textarea', label: 'Body', required: true }, count: { type: 'number', label: 'Count', min: 0, max: 10 } },
		}, null, '\t'));
		try {
			await within(15_000, (async () => {
				while (!(await request<TemplateSummary[]>('templates/list', {})).some(t => t.id === 'it-note' && t.usable)) {
					await new Promise(resolve => setTimeout(resolve, 200));
				}
			})(), 'the sidecar to load the new template');
			await vscode.commands.executeCommand('plue.settings.new', 'it-note');
			const form = await panel('new:it-note');
			const drawn = await exchange(form, { type: 'ready' }, 'form');
			assert.equal(drawn.form.mode, 'create');
			assert.equal(drawn.form.templateName, 'IT Note');
			assert.deepEqual(drawn.form.fields.map(f => f.name), ['body', 'count']);

			const refused = await exchange(form, { type: 'save', title: 'IT First Note', fields: { count: 3, body: null } }, 'errors');
			assert.match(refused.fields.body ?? '', /\S/, 'no message beside the missing field');
			assert.equal((await request<CodexListResult>('codex/list', { templateId: 'it-note' })).items.length, 0, 'a refused create stored a record');

			await form.receive({ type: 'save', title: 'IT First Note', fields: { body: 'hello', count: 3 } });
			const [record] = (await request<CodexListResult>('codex/list', { templateId: 'it-note' })).items;
			assert.equal(record?.title, 'IT First Note');
			assert.deepEqual(record.fields, { body: 'hello', count: 3 });
			// The same panel now edits the record: its page, drawn again, gets the record's form.
			const asRecord = await panel(`record:${record.id}`);
			assert.equal(asRecord, form, 'the record opened in another panel');
			assert.equal(api.settingsPanel('new:it-note'), undefined, 'the new form stayed open');
			const edit = await exchange(asRecord, { type: 'ready' }, 'form');
			assert.equal(edit.form.mode, 'edit');
			assert.deepEqual(edit.form.values, { body: 'hello', count: 3 });

			// Undo right after the creation removes the record once confirmed (the modal question the test host cannot
			// answer), and its form closes; that undo is undone in turn (the notice's Bring Back): the record is back.
			await asRecord.receive({ type: 'undo', confirmed: true });
			await assert.rejects(request('codex/get', { id: record.id }), /No codex has id/);
			assert.equal(api.settingsPanel(`record:${record.id}`), undefined, 'the form of a removed record stayed open');
			assert.equal((await request<{ record: CodexRecord | null }>('codex/undo', { id: record.id })).record?.title, 'IT First Note');
			assert.deepEqual((await request<CodexRecord>('codex/get', { id: record.id })).fields, { body: 'hello', count: 3 });
		} finally {
			fs.rmSync(file, { force: true });
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	test('Run Task in a Form asks which kind of task, and will not start one without a goal', async () => {
		// Several task templates: the command asks which (Escape cancels, no form opens).
		const inputs = await quickInputs();
		const asked = vscode.commands.executeCommand('plue.settings.runTask');
		await inputs.shown('the pick of task kinds');
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		await within(10_000, Promise.resolve(asked), 'Run Task to be cancelled');
		assert.equal(settingsTabs().length, 0, 'a cancelled Run Task opened a form');

		await vscode.commands.executeCommand('plue.settings.runTask', 'task');
		const form = await panel('run:task');
		const drawn = await exchange(form, { type: 'ready' }, 'form');
		assert.equal(drawn.form.mode, 'run');
		assert.equal(drawn.form.submitLabel, 'Start Task');
		const refused = await exchange(form, { type: 'save', title: '', fields: { goal: '  ' } }, 'errors');
		assert.equal(refused.fields.goal, 'is required: say what the task must achieve');
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('Import Catalog File makes a custom catalog record and opens it; Export writes it back in Plue\'s format', async () => {
		const catwalk = path.join(scratch, 'it-zenith.json');
		fs.writeFileSync(catwalk, JSON.stringify({
			id: 'it-zenith', name: 'IT Zenith', type: 'openai-compat', api_key: '$IT_ZENITH_API_KEY', api_endpoint: 'https://api.zenith.example/v1',
			models: [{ id: 'zenith-1', name: 'Zenith 1', cost_per_1m_in: 1, cost_per_1m_out: 4, context_window: 128000 }],
		}));
		const id = await vscode.commands.executeCommand<string | undefined>('plue.catalogs.import', vscode.Uri.file(catwalk));
		assert.ok(id, 'the import made no record');
		try {
			const record = await request<CodexRecord>('codex/get', { id });
			assert.equal(record.title, 'IT Zenith');
			assert.equal(record.fields.api_key_env, 'IT_ZENITH_API_KEY');
			await panel(`record:${id}`);
			assert.ok((await api.providers.catalog()).some(p => p.id === 'it-zenith'), 'Add Provider does not offer the imported catalog');

			const target = vscode.Uri.file(path.join(scratch, 'exported.json'));
			assert.equal(await vscode.commands.executeCommand('plue.catalogs.export', id, target, 'plue'), target.fsPath);
			const exported = JSON.parse(fs.readFileSync(target.fsPath, 'utf8')) as { id: string; models: { id: string; prices: { input: number } }[] };
			assert.equal(exported.id, 'it-zenith');
			assert.equal(exported.models[0].prices.input, 1);

			// A file that is no catalog is refused and makes nothing.
			const broken = path.join(scratch, 'broken.json');
			fs.writeFileSync(broken, '{ "id": "x",\n  "models": [ }');
			assert.equal(await vscode.commands.executeCommand('plue.catalogs.import', vscode.Uri.file(broken)), undefined);
			assert.equal((await request<CodexListResult>('codex/list', { templateId: 'catalog' })).items.length, 1, 'a broken file made a record');

			// Delete Catalog (the palette's; `confirmed` answers its modal question): Add Provider no longer offers it.
			assert.equal(await vscode.commands.executeCommand('plue.catalogs.delete', id, { confirmed: true }), true);
			assert.equal((await request<CodexListResult>('codex/list', { templateId: 'catalog' })).items.length, 0, 'the catalog record is still there');
			assert.equal((await api.providers.catalog()).some(p => p.id === 'it-zenith'), false, 'Add Provider still offers the deleted catalog');
		} finally {
			await request('codex/delete', { id }).catch(() => undefined);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});
});
