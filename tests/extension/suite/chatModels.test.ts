import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { Session } from '../../../extension/src/shared/protocol';
import { activatePlue, until, within } from './support';

// One step to a chat: New Chat opens on the model the user would pick, with no quick pick in the way. A quick pick
// that did open would never be answered here, so each New Chat is bounded: a hang is the failure.

interface Keybinding { command: string; key: string; mac?: string; when?: string }

suite('Plue chat models and keys', () => {
	let api: PlueApi;
	let instanceId: string;
	const sessions: string[] = [];
	const settings = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('plue.chat');

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		const instance = await api.providers.create({ displayName: 'IT One Step', catalogProviderId: 'anthropic', apiKey: 'it-one-step-0123456789', defaultModel: 'claude-opus-4-7' });
		instanceId = instance.id;
	});

	suiteTeardown(async () => {
		await settings().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const id of sessions) {
			await api.client?.sendRequest('session/delete', { id });
		}
		await api.providers.remove(instanceId);
	});

	async function newChat(): Promise<Session> {
		const id = await within(20_000, Promise.resolve(vscode.commands.executeCommand<string | undefined>('plue.chat.new')), 'New Chat to open a chat without asking');
		assert.ok(id, 'New Chat opened no chat');
		sessions.push(id);
		const session = await api.client?.sendRequest<Session>('session/get', { id });
		assert.ok(session);
		return session;
	}

	test('New Chat opens at once on the plue.chat.defaultModel setting, then on the model last used', async () => {
		await settings().update('defaultModel', 'IT One Step/claude-opus-4-6', vscode.ConfigurationTarget.Global);
		const first = await newChat();
		assert.equal(first.instanceId, instanceId);
		assert.equal(first.modelId, 'claude-opus-4-6');

		// An instance named alone: its own default model.
		await settings().update('defaultModel', 'IT One Step', vscode.ConfigurationTarget.Global);
		assert.equal((await newChat()).modelId, 'claude-opus-4-7');

		// No setting: the model the last chat started on.
		await settings().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
		const again = await newChat();
		assert.deepEqual([again.instanceId, again.modelId], [instanceId, 'claude-opus-4-7']);
		const chatTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap(group => group.tabs)
			.filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('plue.chat'));
		await within(10_000, until(() => chatTabs().length >= 3), 'the three chats to open in panels');
	});

	test('a setting naming no enabled instance says so and falls back on the model last used', async () => {
		await settings().update('defaultModel', 'No Such Instance/gpt-4o', vscode.ConfigurationTarget.Global);
		const session = await newChat();
		assert.deepEqual([session.instanceId, session.modelId], [instanceId, 'claude-opus-4-7']);
		await settings().update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
	});

	test('keybindings: New Chat, Focus Chat, Add Selection and Stop, all registered', async () => {
		const manifest = vscode.extensions.getExtension('plue.plue-vscode')?.packageJSON as { contributes: { keybindings: Keybinding[] } };
		const registered = new Set(await vscode.commands.getCommands(true));
		for (const command of ['plue.chat.new', 'plue.chat.focus', 'plue.chat.addSelection', 'plue.chat.stop']) {
			const binding = manifest.contributes.keybindings.find(k => k.command === command);
			assert.ok(binding?.key && binding.mac, `${command} has no key`);
			assert.ok(registered.has(command), `${command} is not registered`);
		}
		// Focus Chat and Add Selection share a key: the editor's selection decides, so their conditions must exclude each other.
		const [focus, add] = ['plue.chat.focus', 'plue.chat.addSelection'].map(c => manifest.contributes.keybindings.find(k => k.command === c));
		assert.equal(focus?.key, add?.key);
		assert.equal(add?.when, 'editorTextFocus && editorHasSelection');
		assert.equal(focus?.when, '!editorHasSelection || !editorTextFocus');
	});

	test('Focus Chat brings the last chat used to the front, or starts one; Stop asks the sidecar to stop its reply', async () => {
		const last = sessions.at(-1);
		await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
		assert.equal(await vscode.commands.executeCommand<string>('plue.chat.focus'), last);
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.chat.stop'), true);
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.chat.stop'), false, 'no chat is open to stop');
		const started = await within(20_000, Promise.resolve(vscode.commands.executeCommand<string>('plue.chat.focus')), 'Focus Chat to start a chat');
		assert.ok(started && started !== last, 'Focus Chat with no chat open started none');
		sessions.push(started);
	});

	test('a chat moves from its tab to the side bar view and back', async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		const id = await within(20_000, Promise.resolve(vscode.commands.executeCommand<string>('plue.chat.newInSideBar')), 'a new chat in the side bar');
		assert.ok(id);
		sessions.push(id);
		const chatTab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap(group => group.tabs)
			.find(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('plue.chat') && tab.label === 'New chat' && tab.isActive);
		assert.equal(await vscode.commands.executeCommand('plue.chat.moveToEditor'), id);
		await within(10_000, until(() => chatTab() !== undefined), 'the chat to open in a tab');
		assert.equal(await vscode.commands.executeCommand('plue.chat.moveToEditor'), undefined, 'the side bar still held the chat');
		assert.equal(await vscode.commands.executeCommand('plue.chat.moveToSideBar'), id);
		await within(10_000, until(() => chatTab() === undefined), 'the tab to close');
		// With no chat tab open, Focus Chat and Stop go to the side bar's chat.
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		assert.equal(await vscode.commands.executeCommand('plue.chat.focus'), id);
		assert.equal(await vscode.commands.executeCommand('plue.chat.stop'), true);
		const manifest = vscode.extensions.getExtension('plue.plue-vscode')?.packageJSON as { contributes: { views: Record<string, { id: string; type?: string }[]> } };
		assert.equal(manifest.contributes.views['plue-chat'].find(view => view.id === 'plue.chatView')?.type, 'webview', 'the Chat view has a container of its own');
	});
});
