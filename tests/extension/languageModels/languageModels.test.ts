import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';

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
});
