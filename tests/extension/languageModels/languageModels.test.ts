import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PlueApi, SettingsWebviewPeer } from '../host/plueApi';
import type { SettingsHostMessage } from '../../../extension/src/shared/settingsMessages';
import { countRequests, until, within } from '../suite/support';

// VS Code's Language Model API both ways, in a VS Code that has it (1.104+): the fixture extension (tests/extension/lmFixture)
// registers a fake model that Plue's vscode-lm provider uses, and asks Plue's models from VS Code's picker.

const key = 'sk-it-lm-picker-0123456789';

suite('VS Code language models', () => {
	let api: PlueApi;
	let server: http.Server;
	let endpoint = '';
	const seen: { authorization?: string; body: string }[] = [];

	suiteSetup(async () => {
		const extension = vscode.extensions.getExtension<PlueApi>('plue.plue-vscode');
		assert.ok(extension);
		api = await extension.activate();
		await api.whenState('running');
		await vscode.extensions.getExtension('plue-tests.plue-lm-fixture')?.activate();
		server = http.createServer((request, response) => {
			let body = '';
			request.on('data', chunk => { body += String(chunk); });
			request.on('end', () => {
				seen.push({ authorization: request.headers.authorization, body });
				response.writeHead(200, { 'content-type': 'text/event-stream' });
				const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
				response.end(chunk({ role: 'assistant', content: 'Hello from ' }) + chunk({ content: 'Plue' }) + chunk({}, 'stop')
					+ `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 2000, completion_tokens: 500 } })}\n\ndata: [DONE]\n\n`);
			});
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
	});

	suiteTeardown(() => server?.close());

	const request = <T>(method: string, params?: object): Promise<T> => api.client!.sendRequest<T>(method, params);

	test('a vscode-lm instance lists VS Code\'s models and chats with one through vscode.lm, streamed back', async () => {
		const instance = await api.providers.create({ displayName: 'Editor models', catalogProviderId: 'vscode-lm' });
		const models = await request<{ id: string }[]>('instances/models', { id: instance.id });
		assert.ok(models.some(m => m.id === 'echo-model'), `VS Code's models as Plue sees them: ${JSON.stringify(models)}`);
		assert.ok(!models.some(m => m.id.includes('/')), 'Plue\'s own models were offered back to it');

		const session = await request<{ id: string }>('session/create', { instanceId: instance.id, modelId: 'echo-model' });
		const answer = await request<{ status: string; error?: string; parts: { text?: string }[] }>('session/send', { sessionId: session.id, text: 'ping' });

		assert.equal(answer.status, 'complete', answer.error);
		assert.equal(answer.parts[0].text, 'You said: ping');
		const last = await vscode.commands.executeCommand<{ text: string }>('plueLmFixture.lastRequest');
		assert.match(last.text, /ping$/);
	});

	test('Plue\'s instances are models of VS Code\'s picker, answered through the sidecar with the vault key', async () => {
		await api.providers.create({ displayName: 'Picker OpenAI', catalogProviderId: 'openai', endpoint, apiKey: key, modelFilter: { allow: ['gpt-4o'] } });

		const result = await vscode.commands.executeCommand<{ models: string[]; text?: string; name?: string }>('plueLmFixture.askPlue', 'gpt-4o', 'Hi Plue');

		assert.equal(result.text, 'Hello from Plue', `Plue's models in VS Code: ${result.models.join(', ')}`);
		assert.equal(result.name, 'GPT-4o');
		assert.equal(seen.at(-1)?.authorization, `Bearer ${key}`);
		assert.match(seen.at(-1)?.body ?? '', /Hi Plue/);
	});
	/** The next message of `type` the settings panel posts (matching `where`); asked for before what causes it. */
	function next<T extends SettingsHostMessage['type']>(peer: SettingsWebviewPeer, type: T, where: (m: Extract<SettingsHostMessage, { type: T }>) => boolean = () => true): Promise<Extract<SettingsHostMessage, { type: T }>> {
		return within(15_000, new Promise(resolve => {
			const listener = peer.onDidPost(message => {
				if (message.type === type && where(message as Extract<SettingsHostMessage, { type: T }>)) {
					listener.dispose();
					resolve(message as Extract<SettingsHostMessage, { type: T }>);
				}
			});
		}), `the panel to post '${type}'`);
	}

	/** Waits until `condition` holds, asking it again every 200 ms. */
	async function eventually(condition: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
		await within(ms, (async () => {
			while (!(await condition())) {
				await new Promise(resolve => setTimeout(resolve, 200));
			}
		})(), what);
	}

	/** Plue's models in VS Code's picker, as VS Code holds them (it asks the sidecar only when told they changed). */
	async function pickerModels(): Promise<string[]> {
		return (await vscode.lm.selectChatModels({ vendor: 'plue' })).map(m => m.id);
	}

	test('a provider saved from its settings form is one request: the Providers view and the model picker take it from the feed, and the models are asked again only when they could have changed', async () => {
		const instance = await api.providers.create({ displayName: 'Counted OpenAI', catalogProviderId: 'openai', endpoint, apiKey: key, modelFilter: { allow: ['gpt-4o'] } });
		try {
			await eventually(async () => (await pickerModels()).includes(`${instance.id}/gpt-4o`), 'the picker to offer the new instance\'s model');
			assert.equal(await vscode.commands.executeCommand('plue.providers.edit', instance.id), instance.id);
			await within(10_000, until(() => api.settingsPanel(`record:${instance.id}`) !== undefined), 'the form');
			const form = api.settingsPanel(`record:${instance.id}`)!;
			const drawn = next(form, 'form');
			await form.receive({ type: 'ready' });
			assert.notEqual((await drawn).form.values.timeout_ms, 45_000);
			// The form is drawn, its choices loaded: from here every request the window sends is counted, whatever its method.
			const quiet = () => new Promise(resolve => setTimeout(resolve, 2000));
			await quiet();
			const counted = countRequests(api);
			try {
				// A timeout changes how calls are made, not which models there are.
				const saved = next(form, 'notice');
				await form.receive({ type: 'save', title: 'Counted OpenAI', fields: { timeout_ms: 45_000 } });
				assert.equal((await saved).text, 'Saved.');
				await eventually(async () => (await api.providerRows()).some(r => r.instance.id === instance.id && r.instance.timeoutMs === 45_000), 'the Providers view to take the saved view from the feed');
				// Anything a view would read again (the instances, the form's model boxes, the picker's models) comes within
				// moments of the feed: nothing does.
				await quiet();
				assert.deepEqual(counted.sent, ['codex/update'], `a save is one request and nothing is read again; sent: ${counted.sent.join(', ')}`);

				// A new endpoint may offer other models: the form's model boxes ask for them again, once (VS Code, told the
				// picker's models may have changed, may ask for them too).
				counted.sent.length = 0;
				const moved = next(form, 'notice');
				await form.receive({ type: 'save', title: 'Counted OpenAI', fields: { endpoint: endpoint.replace('127.0.0.1', 'localhost') } });
				assert.equal((await moved).text, 'Saved.');
				await within(10_000, until(() => counted.sent.includes('instances/models')), `the model boxes to ask again; sent: ${counted.sent.join(', ')}`);
				await quiet();
				assert.deepEqual(counted.sent.filter(m => m !== 'lm/instanceModels'), ['codex/update', 'instances/models'], `sent: ${counted.sent.join(', ')}`);
			} finally {
				counted.stop();
			}
		} finally {
			await api.providers.remove(instance.id);
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});
});
