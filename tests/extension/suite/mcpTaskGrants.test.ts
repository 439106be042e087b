import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { McpServer } from '../../../extension/src/mcp/mcpServer';
import type { AgentTask, PermissionsListResult } from '../../../extension/src/shared/protocol';
import { activatePlue, enterUntilSettled, lastToast, mcpFixtureServer, quickInputs, until, within } from './support';

// Run Task granting MCP servers, and Manage Tool Permissions, against the real sidecar: a task on a loopback
// OpenAI-compatible provider (tests/e2e/support/fakeOpenAI.mjs) calls the node MCP fixture's tools, the user
// answers "Always in this workspace", and Manage Tool Permissions forgets those answers again.

interface ChatRequest { body: { messages: { role: string; content?: unknown }[] } }
interface FakeReply { text?: string; toolCalls?: { name: string; arguments: unknown }[] }
interface FakeProvider { endpoint: string; close(): Promise<void> }
type StartFake = (options: { respond: (body: ChatRequest['body']) => FakeReply }) => Promise<FakeProvider>;

const model = 'moonshotai/kimi-k2-instruct-0905';

/** Calls the fixture's echo, then its pid, then reports. */
function respond(body: ChatRequest['body']): FakeReply {
	const turn = body.messages.filter(m => m.role === 'assistant').length;
	if (turn === 0) {
		return { toolCalls: [{ name: 'mcp__it-grants__echo', arguments: { text: 'granted' } }] };
	}
	return turn === 1 ? { toolCalls: [{ name: 'mcp__it-grants__pid', arguments: {} }] } : { text: 'Used both tools.' };
}

suite('Plue MCP servers in tasks, and tool permissions', () => {
	let api: PlueApi;
	let provider: FakeProvider;
	let instanceId: string;
	let server: McpServer;

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		const fake = path.resolve(__dirname, '../../../tests/e2e/support/fakeOpenAI.mjs');
		const { startFakeOpenAI } = await import(pathToFileURL(fake).href) as { startFakeOpenAI: StartFake };
		provider = await startFakeOpenAI({ respond });
		instanceId = (await api.providers.create({ displayName: 'IT MCP Loopback', catalogProviderId: 'groq', endpoint: provider.endpoint, apiKey: 'gsk_it_mcp_key_0123456789' })).id;
		const added = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.add', { title: 'IT Grants', command: 'node', args: [mcpFixtureServer], env: [] });
		assert.ok(added, lastToast());
		server = added;
	});

	suiteTeardown(async () => {
		for (const task of api.tasks.all.filter(t => t.status === 'running' || t.status === 'waiting-approval' || t.status === 'queued')) {
			await vscode.commands.executeCommand('plue.interruptTask', task.id);
		}
		api.approvals.withdrawAll('The test suite ended.');
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		for (const s of await api.mcpServers.list().catch(() => [])) {
			await api.mcpServers.remove(s);
		}
		await api.providers.remove(instanceId).catch(() => undefined);
		await provider?.close();
	});

	async function grantOf(taskId: string): Promise<unknown> {
		assert.ok(api.client);
		const record = await api.client.sendRequest<{ fields: Record<string, unknown> }>('codex/get', { id: taskId });
		return record.fields.mcp_tools;
	}

	async function settled(id: string, status: AgentTask['status']): Promise<AgentTask> {
		await within(30_000, until(() => api.tasks.get(id)?.status === status), `the task to be ${status} (now ${api.tasks.get(id)?.status})`);
		return api.tasks.get(id) as AgentTask;
	}

	async function answerAlwaysInWorkspace(taskId: string, tool: string): Promise<void> {
		await within(30_000, until(() => api.approvals.for(taskId).some(p => p.tool === tool)), `the question for ${tool}`);
		const prompt = api.approvals.for(taskId).find(p => p.tool === tool);
		assert.ok(prompt);
		// The notification's Always… button, then the scope its quick pick offers: the same choice.
		assert.ok(api.approvals.notice(prompt.id)?.buttons.some(b => b.choice === 'always'), 'the notification has no Always… button');
		assert.equal(await vscode.commands.executeCommand('plue.approval.answer', prompt.id, 'allowAlwaysWorkspace'), true);
	}

	function permissions(): Promise<PermissionsListResult> {
		assert.ok(api.client);
		return api.client.sendRequest('permissions/list');
	}

	test('Run Task asks which MCP servers to grant; the one picked is in the task\'s mcp_tools and its tools run after approval', async () => {
		const inputs = await quickInputs();
		const started = vscode.commands.executeCommand<string | undefined>('plue.runTask', { templateId: 'task', prompt: 'IT-MCP-GRANT: use the fixture', instanceId, modelId: model });
		await inputs.shown('the MCP servers to grant');
		// The multi-select pick starts with nothing focused: focus the first (and only) server, Space toggles it, Enter confirms.
		await vscode.commands.executeCommand('quickInput.first');
		await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		const id = await within(10_000, Promise.resolve(started), 'Run Task to start the task');
		assert.ok(id, 'Run Task returned no task id');
		assert.deepEqual(await grantOf(id), ['mcp__it-grants']);

		// The server is not trusted: each tool asks; "Always in this workspace" remembers it.
		await answerAlwaysInWorkspace(id, 'mcp__it-grants__echo');
		await answerAlwaysInWorkspace(id, 'mcp__it-grants__pid');
		const done = await settled(id, 'completed');
		assert.equal(done.result, 'Used both tools.');
		const current = (await permissions()).workspaces.find(w => w.current);
		assert.deepEqual(current?.tools, ['mcp__it-grants__echo', 'mcp__it-grants__pid']);
	});

	test('Run Task grants nothing when the user picks no server, or when the options say none', async () => {
		const started = vscode.commands.executeCommand<string | undefined>('plue.runTask', { templateId: 'task', prompt: 'IT-MCP-NONE: nothing granted', instanceId, modelId: model });
		const id = await enterUntilSettled(started, 'Run Task to start the task');
		assert.ok(id);
		assert.equal(await grantOf(id), undefined);
		await vscode.commands.executeCommand('plue.interruptTask', id);

		const scripted = await vscode.commands.executeCommand<string | undefined>('plue.runTask', { templateId: 'task', prompt: 'IT-MCP-SCRIPTED', instanceId, modelId: model, mcpServers: ['it-grants'] });
		assert.ok(scripted);
		assert.deepEqual(await grantOf(scripted), ['mcp__it-grants']);
		await vscode.commands.executeCommand('plue.interruptTask', scripted);
	});

	test('Run Task does not ask when no MCP server is enabled', async () => {
		await vscode.commands.executeCommand('plue.mcpServers.disable', server.id);
		try {
			// No quick pick may open: the command must finish on its own.
			const id = await within(10_000, Promise.resolve(vscode.commands.executeCommand<string | undefined>('plue.runTask',
				{ templateId: 'task', prompt: 'IT-MCP-DISABLED', instanceId, modelId: model })), 'Run Task without a question');
			assert.ok(id);
			assert.equal(await grantOf(id), undefined);
			await vscode.commands.executeCommand('plue.interruptTask', id);
		} finally {
			await vscode.commands.executeCommand('plue.mcpServers.enable', server.id);
		}
	});

	test('Manage Tool Permissions forgets the tool picked from its list, after the confirmation', async () => {
		// The task panels the tests above opened must not take the focus from the list.
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		const inputs = await quickInputs();
		const forgot = vscode.commands.executeCommand<number | undefined>('plue.permissions.manage', { confirmed: true });
		await inputs.shown('the list of remembered tools');
		// The list's first entry is this workspace's first tool.
		await vscode.commands.executeCommand('quickInput.first');
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		// An MCP tool's grant may have its host edited or be forgotten: Forget is the list's last entry.
		await inputs.shown('what to do with the tool picked');
		await vscode.commands.executeCommand('quickInput.last');
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		assert.equal(await within(10_000, Promise.resolve(forgot), 'Manage Tool Permissions'), 1, lastToast());
		assert.deepEqual((await permissions()).workspaces.find(w => w.current)?.tools, ['mcp__it-grants__pid']);
	});

	test('Manage Tool Permissions forgets all of this workspace\'s, then says there is nothing left', async () => {
		// A tool not remembered cannot be forgotten: the command says so instead of pretending.
		assert.equal(await vscode.commands.executeCommand('plue.permissions.manage', { forget: 'bash', confirmed: true }), undefined);
		assert.deepEqual((await permissions()).workspaces.find(w => w.current)?.tools, ['mcp__it-grants__pid']);

		assert.equal(await vscode.commands.executeCommand('plue.permissions.manage', { forget: 'all', confirmed: true }), 1);
		assert.equal((await permissions()).workspaces.find(w => w.current), undefined);
		assert.equal(await vscode.commands.executeCommand('plue.permissions.manage'), 0);
	});
});
