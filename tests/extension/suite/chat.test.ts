import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { ChannelNode } from '../../../extension/src/channels/channelsTreeProvider';
import type { Session } from '../../../extension/src/shared/protocol';

// Until the sidecar implements session/* and instances/*, these tests check what
// does not need them: registrations, menus, how the tree shows a session, the
// panel opening, and that a missing session/list leaves an empty User Chats.

const extensionId = 'plue.plue-vscode';
const chatCommands = ['new', 'open', 'rename', 'fork', 'archive', 'unarchive', 'delete', 'refresh', 'addSelection'].map(verb => `plue.chat.${verb}`);

interface MenuItem { command: string; when?: string; group?: string }
interface Manifest {
	activationEvents: string[];
	contributes: { commands: { command: string; title: string; category: string }[]; menus: Record<string, MenuItem[]> };
}

suite('Plue chat', () => {
	let api: PlueApi;
	let manifest: Manifest;

	suiteSetup(async () => {
		const extension = vscode.extensions.getExtension<PlueApi>(extensionId);
		assert.ok(extension, `${extensionId} is not installed in this host`);
		api = await extension.activate();
		manifest = extension.packageJSON as Manifest;
	});

	suiteTeardown(async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
	});

	test('the chat commands are registered and contributed under "Plue"', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		for (const id of chatCommands) {
			assert.ok(registered.has(id), `${id} is not registered`);
			const contributed = manifest.contributes.commands.find(c => c.command === id);
			assert.equal(contributed?.category, 'Plue', `${id} is not contributed under Plue`);
		}
		assert.equal(manifest.contributes.commands.find(c => c.command === 'plue.chat.new')?.title, 'New Chat');
		assert.equal(manifest.contributes.commands.find(c => c.command === 'plue.chat.addSelection')?.title, 'Add Selection to Chat');
		assert.ok(manifest.activationEvents.includes('onWebviewPanel:plue.chat'), 'panels would not be restored before activation');
	});

	test('chats have Open, Rename, Fork, Archive and Delete in their context menu; the editor has Add Selection', () => {
		const items = manifest.contributes.menus['view/item/context'].filter(m => m.when?.includes('viewItem =~ /^plue\\.chat/') || m.when?.includes('viewItem == plue.chat'));
		for (const verb of ['open', 'rename', 'fork', 'archive', 'delete']) {
			assert.ok(items.some(m => m.command === `plue.chat.${verb}`), `no ${verb} in a chat's context menu`);
		}
		assert.ok(manifest.contributes.menus['editor/context'].some(m => m.command === 'plue.chat.addSelection' && m.when === 'editorHasSelection'));
	});

	test('User Chats lists the sessions newest first', async () => {
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		await vscode.commands.executeCommand('plue.chat.refresh');
		// With no chat and no task the tree has no folders: its welcome shows instead.
		const userChats = api.channels().find(node => node.id === 'userChats');
		const children = userChats ? api.channelChildren(userChats) : [];
		const updated = children.map(node => node.session?.updatedAt ?? '');
		assert.deepEqual(updated, [...updated].sort().reverse());
	});

	test('a session shows its status icon, model, context value and opens on click', () => {
		const item = (status: Session['status']): vscode.TreeItem => api.channelItem(node(session({ status })));
		assert.equal((item('active').iconPath as vscode.ThemeIcon).id, 'loading~spin');
		assert.equal((item('idle').iconPath as vscode.ThemeIcon).id, 'comment');
		assert.equal((item('archived').iconPath as vscode.ThemeIcon).id, 'archive');
		assert.equal(item('idle').contextValue, 'plue.chat');
		assert.equal(item('archived').contextValue, 'plue.chat.archived');
		const idle = item('idle');
		assert.equal(idle.label, 'Refactor the parser');
		assert.equal(idle.description, 'claude-sonnet-4-5');
		assert.match(idle.tooltip as string, /cost unknown/);
		// Users see names: the instance's id is never in the tooltip (its name is added on hover).
		const byId = api.channelItem(node(session({ instanceId: '01a20246-5d1e-4c8f-9a3b-2f7c1e0d9b11' })));
		assert.ok(!(byId.tooltip as string).includes('01a20246'), byId.tooltip as string);
		assert.deepEqual(idle.command?.arguments, ['s-test']);
		assert.equal(idle.command?.command, 'plue.chat.open');
		assert.match(api.channelItem(node(session({ costUsd: 0.5 }))).tooltip as string, /\$0\.5000/);
	});

	test('Add Selection to Chat without an open chat says so and adds nothing', async () => {
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		const editor = await openSelection();
		assert.ok(!editor.selection.isEmpty);
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.chat.addSelection'), false);
	});

	test('Open Chat opens one webview panel per session in the editor area, and Add Selection then targets it', async () => {
		assert.equal(await vscode.commands.executeCommand<string>('plue.chat.open', 's-test'), 's-test');
		await vscode.commands.executeCommand('plue.chat.open', 's-test');
		const chatTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap(group => group.tabs)
			.filter(tab => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('plue.chat'));
		await within(10_000, until(() => chatTabs().length > 0), 'the chat tab');
		assert.equal(chatTabs().length, 1, 'the same session opened twice');
		await openSelection();
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.chat.addSelection'), true);
		await vscode.window.tabGroups.close(chatTabs());
		assert.equal(chatTabs().length, 0);
	});
});

function session(over: Partial<Session>): Session {
	return {
		id: 's-test', slug: 'quiet-otter', ref: 'codex://chats/quiet-otter', version: 1, title: 'Refactor the parser', instanceId: 'anthropic', modelId: 'claude-sonnet-4-5', status: 'idle',
		usage: { input: 10, output: 20, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, costUsd: null, costSources: [], messageCount: 2, contextTokens: 0, supportsAttachments: null,
		createdAt: '2026-11-21T10:00:00Z', updatedAt: '2026-11-21T10:05:00Z', ...over,
	};
}

function node(s: Session): ChannelNode {
	return { id: `session:${s.id}`, label: s.title, icon: 'comment', children: [], session: s };
}

async function openSelection(): Promise<vscode.TextEditor> {
	const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'const a = 1;\nconst b = 2;\nconst c = 3;\n' });
	const editor = await vscode.window.showTextDocument(document);
	editor.selection = new vscode.Selection(0, 0, 1, 12);
	return editor;
}

async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) {
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}
