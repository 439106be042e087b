import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { ChannelNode } from '../../../extension/src/channels/channelsTreeProvider';
import type { AgentTask } from '../../../extension/src/shared/protocol';
import { activatePlue, enterUntilSettled, quickInputs, until, within } from './support';

// Agent tasks against the real sidecar, answered by a loopback OpenAI-compatible server
// (tests/e2e/support/fakeOpenAI.mjs, run in this extension host): the sidecar asks
// permission/request before a write, the extension answers through the notification's
// links (the same command URIs the workbench runs when they are clicked), and the tree
// and the badge follow task/updated.

interface ChatRequest { body: { messages: { role: string; content?: unknown }[] } }
interface FakeReply { text?: string; toolCalls?: { name: string; arguments: unknown }[] }
interface FakeProvider { endpoint: string; chats(): ChatRequest[]; close(): Promise<void> }
type StartFake = (options: { respond: (body: ChatRequest['body']) => FakeReply }) => Promise<FakeProvider>;

// The Groq catalog's Kimi K2 0905: $1 in, $3 out per million; the fake reports 12,000 in and 4,000 out a call: $0.024.
const model = 'moonshotai/kimi-k2-instruct-0905';
const perCall = 0.024;
/** What each goal's agent does; keyed by a marker in the goal. */
const scripts: Record<string, (turn: number, lastTool: string) => FakeReply> = {
	'IT-ALLOW': turn => turn === 0 ? { toolCalls: [{ name: 'write', arguments: { path: 'it-allowed.md', content: 'written by an agent\n' } }] } : { text: 'Wrote it-allowed.md.' },
	'IT-DENY': (turn, lastTool) => turn === 0 ? { toolCalls: [{ name: 'write', arguments: { path: 'it-denied.md', content: 'never\n' } }] } : { text: `Understood: ${lastTool.slice(0, 60)}` },
	'IT-APPROVE': turn => turn === 0 ? { toolCalls: [{ name: 'write', arguments: { path: 'it-approved.md', content: 'via the tree\n' } }] } : { text: 'Done.' },
	'IT-INTERRUPT': () => ({ toolCalls: [{ name: 'write', arguments: { path: 'it-interrupted.md', content: 'never\n' } }] }),
	'IT-ORCHESTRATE': turn => turn === 0
		? { toolCalls: ['one', 'two'].map(n => ({ name: 'spawn_task', arguments: { template: 'task-docs-writer', title: `IT child ${n}`, goal: `IT-CHILD ${n}: say hello` } })) }
		: { text: 'Both children reported.' },
	'IT-CHILD': () => ({ text: 'Hello from a child.' }),
	'IT-STOP': turn => turn === 0 ? { toolCalls: [{ name: 'read', arguments: { path: 'README.md' } }] } : { text: 'Read it.' },
	'IT-CAP': turn => turn === 0 ? { toolCalls: [{ name: 'read', arguments: { path: 'README.md' } }] } : { text: 'Read it.' },
	'IT-RESUME': turn => {
		crash.served++;
		return turn === 0
			? { toolCalls: ['a', 'b', 'c'].map(n => ({ name: 'spawn_task', arguments: { template: 'task-docs-writer', title: `IT part ${n}`, goal: `IT-PART ${n}: write part ${n}`, isolation: 'shared' } })) }
			: { text: 'All three parts reported.' };
	},
	// Before the crash a part streams slowly (ten seconds) and is cut; after it, it answers at once. Shared: the parts
	// write in the workspace at once (writers without git would take turns, and the first would finish before the crash).
	'IT-PART': () => {
		if (!crash.happened) {
			crash.cut++;
			return { text: Array.from({ length: 200 }, (_, i) => `word${i}`).join(' '), gapMs: 50 };
		}
		crash.served++;
		return { text: 'Part written.' };
	},
};
/** The crash test's counts: the answers streamed to their end (each reports the fake's usage), and those cut. */
const crash = { happened: false, served: 0, cut: 0 };

function respond(body: ChatRequest['body']): FakeReply {
	const firstUser = JSON.stringify(body.messages.find(m => m.role === 'user')?.content ?? '');
	const turn = body.messages.filter(m => m.role === 'assistant').length;
	const lastTool = JSON.stringify(body.messages.filter(m => m.role === 'tool').at(-1)?.content ?? '');
	// Longest marker first: IT-CHILD goals are not the orchestrator's.
	const marker = Object.keys(scripts).sort((a, b) => b.length - a.length).find(m => firstUser.includes(m));
	return marker ? scripts[marker](turn, lastTool) : { text: 'No script for this goal.' };
}

suite('Plue agent tasks against the sidecar', () => {
	let api: PlueApi;
	let provider: FakeProvider;
	let instanceId: string;
	let workspace: string;

	suiteSetup(async () => {
		api = await activatePlue();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
		assert.ok(workspace, 'no workspace folder: the tools have nowhere to write');
		const fake = path.resolve(__dirname, '../../../tests/e2e/support/fakeOpenAI.mjs');
		const { startFakeOpenAI } = await import(pathToFileURL(fake).href) as { startFakeOpenAI: StartFake };
		provider = await startFakeOpenAI({ respond });
		const instance = await api.providers.create({ displayName: 'IT Loopback Groq', catalogProviderId: 'groq', endpoint: provider.endpoint, apiKey: 'gsk_it_tasks_key_0123456789' });
		instanceId = instance.id;
		await vscode.commands.executeCommand('plue.channels.focus');
	});

	suiteTeardown(async () => {
		// A failed test may leave a task waiting: stop it so later suites start with nothing pending.
		for (const task of api.tasks.all.filter(t => t.status === 'running' || t.status === 'waiting-approval' || t.status === 'queued')) {
			await vscode.commands.executeCommand('plue.interruptTask', task.id);
		}
		api.approvals.withdrawAll('The test suite ended.');
		await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		await provider?.close();
	});

	async function run(templateId: string, prompt: string, fields?: Record<string, unknown>): Promise<string> {
		const id = await vscode.commands.executeCommand<string | undefined>('plue.runTask', { templateId, prompt, instanceId, modelId: model, fields });
		assert.ok(id, 'Run Task returned no task id (see the error notification)');
		return id;
	}

	async function settled(id: string, status: AgentTask['status'], what: string): Promise<AgentTask> {
		await within(30_000, until(() => api.tasks.get(id)?.status === status), `${what} (now ${api.tasks.get(id)?.status})`);
		return api.tasks.get(id) as AgentTask;
	}

	async function question(taskId: string): Promise<string> {
		await within(30_000, until(() => api.approvals.for(taskId).length > 0), 'the sidecar to ask permission/request');
		return api.approvals.for(taskId)[0].id;
	}

	/** Presses a button of the notification the way the workbench does: the button's choice goes to plue.approval.answer. */
	async function pressNoticeButton(approvalId: string, label: string): Promise<unknown> {
		const notice = api.approvals.notice(approvalId);
		const pressed = notice?.buttons.find(b => b.label === label);
		assert.ok(pressed, `the notification has no "${label}" button: ${JSON.stringify(notice)}`);
		return vscode.commands.executeCommand('plue.approval.answer', approvalId, pressed.choice);
	}

	function taskRow(id: string, under?: ChannelNode): { node: ChannelNode; item: vscode.TreeItem } | undefined {
		const parent = under ?? api.channels().find(node => node.id === 'agentTasks');
		assert.ok(parent, 'no Agent Tasks folder');
		const node = api.channelChildren(parent).find(n => n.task?.id === id);
		return node ? { node, item: api.channelItem(node) } : undefined;
	}

	test('Run Task asks where to run once a Docker engine is added; a container on it sets the task\'s runs and engine', async () => {
		const client = api.client;
		assert.ok(client);
		const engine = await client.sendRequest<{ id: string }>('codex/create', { templateId: 'docker-engine', title: 'IT engine', fields: { connection: 'host', host: 'unix:///nonexistent/it-engine.sock' } });
		try {
			const inputs = await quickInputs();
			const started = vscode.commands.executeCommand<string | undefined>('plue.runTask', { templateId: 'task', prompt: 'IT-STOP: where it runs', instanceId, modelId: model, mcpServers: [] });
			await inputs.shown('the question where the task runs');
			// This machine first, then a container on each engine: the last is IT engine's.
			await vscode.commands.executeCommand('quickInput.last');
			await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
			const id = await within(10_000, Promise.resolve(started), 'Run Task to start the task');
			assert.ok(id, 'Run Task returned no task id');
			const record = await client.sendRequest<{ fields: Record<string, unknown> }>('codex/get', { id });
			assert.equal(record.fields.runs, 'container');
			assert.equal(record.fields.engine, 'IT engine');
		} finally {
			// Later tests' Run Task must not be asked where.
			await client.sendRequest('codex/delete', { id: engine.id });
		}
	});

	test('a write waits for approval: the tree, the badge and the card show it; Allow in the notification lets it run', async () => {
		const id = await run('task-code-writer', 'IT-ALLOW: write it-allowed.md');
		const tab = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap(g => g.tabs)
			.find(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('plue.task'));
		await within(10_000, until(() => tab() !== undefined), 'the task panel to open');

		const approvalId = await question(id);
		const prompt = api.approvals.get(approvalId);
		assert.equal(prompt?.tool, 'write');
		assert.equal(prompt?.title, 'Write it-allowed.md (1 line)');
		assert.equal(prompt?.preview?.text, 'written by an agent\n');
		assert.match(prompt?.owner ?? '', /^task "/);
		await settled(id, 'waiting-approval', 'the task to wait for approval');
		const row = taskRow(id);
		assert.ok(row, 'the task is not under Agent Tasks');
		assert.equal((row.item.iconPath as vscode.ThemeIcon).id, 'bell-dot');
		assert.equal(row.item.contextValue, 'plue.task.waiting-approval');
		assert.match(String(row.item.description), new RegExp(`^needs approval · ${model.replace(/[/.]/g, '\\$&')} · \\$0\\.0240 · \\d+s$`));
		assert.equal(api.channelsBadge()?.value, 1);
		assert.match(api.channelsBadge()?.tooltip ?? '', /1 task waits for your approval/);
		assert.ok(!fs.existsSync(path.join(workspace, 'it-allowed.md')), 'written before it was allowed');

		// Show Diff, before answering: the file as the write would leave it (a new file: beside an empty one), read-only.
		assert.equal(prompt?.diffable, true);
		assert.equal(await api.approvals.showDiff(approvalId), true);
		const diff = (): vscode.TabInputTextDiff | undefined => {
			const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
			return input instanceof vscode.TabInputTextDiff ? input : undefined;
		};
		await within(10_000, until(() => diff() !== undefined), 'the diff editor');
		assert.equal(diff()?.modified.scheme, 'plue-approval');
		assert.equal((await vscode.workspace.openTextDocument(diff()!.modified)).getText(), 'written by an agent\n');
		assert.ok(!fs.existsSync(path.join(workspace, 'it-allowed.md')), 'showing the diff wrote the file');
		await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

		assert.equal(await pressNoticeButton(approvalId, 'Allow'), true);
		assert.deepEqual(api.approvals.all, [], 'the question stayed after its answer');
		const done = await settled(id, 'completed', 'the task to complete');
		assert.equal(fs.readFileSync(path.join(workspace, 'it-allowed.md'), 'utf8'), 'written by an agent\n');
		assert.equal(done.result, 'Wrote it-allowed.md.');
		assert.ok(Math.abs((done.totalCostUsd ?? 0) - 2 * perCall) < 1e-9, `total cost ${done.totalCostUsd}`);
		const after = taskRow(id);
		assert.equal((after?.item.iconPath as vscode.ThemeIcon).id, 'pass');
		assert.match(String(after?.item.description), /· \$0\.0480 · /);
		assert.equal(api.channelsBadge(), undefined, 'the badge outlived the question');
		// A second click finds nothing to answer.
		assert.equal(await pressNoticeButton(approvalId, 'Allow').catch(() => false), false);
	});

	test('Deny in the notification (its message box left empty) refuses the write and the model is told', async () => {
		const id = await run('task-code-writer', 'IT-DENY: write it-denied.md');
		const approvalId = await question(id);
		const answered = pressNoticeButton(approvalId, 'Deny…');
		// Deny asks for an optional message in an input box; Enter on it empty denies without one.
		assert.equal(await enterUntilSettled(answered, 'the deny to be answered'), true);
		const done = await settled(id, 'completed', 'the denied task to finish');
		assert.ok(!fs.existsSync(path.join(workspace, 'it-denied.md')), 'a denied write was written');
		assert.match(done.result ?? '', /denied/i, 'the model was not told of the denial');
	});

	test('the tree\'s Approve answers through a quick pick whose first choice is Allow', async () => {
		const id = await run('task-code-writer', 'IT-APPROVE: write it-approved.md');
		await question(id);
		await settled(id, 'waiting-approval', 'the task to wait for approval');
		const row = taskRow(id);
		assert.ok(row);
		const answered = vscode.commands.executeCommand<boolean>('plue.approveTask', row.node);
		assert.equal(await enterUntilSettled(answered, 'Approve to answer'), true);
		await settled(id, 'completed', 'the approved task to complete');
		assert.equal(fs.readFileSync(path.join(workspace, 'it-approved.md'), 'utf8'), 'via the tree\n');
	});

	test('interrupting a task that waits for approval withdraws its question', async () => {
		const id = await run('task-code-writer', 'IT-INTERRUPT: write it-interrupted.md');
		await question(id);
		await settled(id, 'waiting-approval', 'the task to wait for approval');
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.interruptTask', id), true);
		await within(15_000, until(() => api.approvals.for(id).length === 0), 'the question to be withdrawn ($/cancelRequest)');
		const stopped = await settled(id, 'cancelled', 'the task to be cancelled');
		assert.equal((taskRow(id)?.item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
		assert.equal(taskRow(id)?.item.contextValue, 'plue.task.cancelled');
		assert.match(String(taskRow(id)?.item.description), /^interrupted · /);
		assert.ok(!fs.existsSync(path.join(workspace, 'it-interrupted.md')));
		assert.equal(stopped.pendingApproval ?? undefined, undefined);

		// Resume Task runs it again: it asks again.
		assert.equal(await vscode.commands.executeCommand<boolean>('plue.resumeTask', id), true);
		await question(id);
		await vscode.commands.executeCommand('plue.interruptTask', id);
		await settled(id, 'cancelled', 'the resumed task to be cancelled again');
	});

	test('a task paused at its spend cap offers Resume, which asks for a higher cap and continues', async () => {
		const id = await run('task', 'IT-CAP: read the README', { spend_cap_usd: 0.01 });
		const paused = await settled(id, 'paused', 'the task to pause at its cap');
		assert.match(paused.statusReason ?? '', /Spend cap reached/);
		// The sidecar asks to raise the cap or stop; Resume answers that question with the new cap.
		await within(15_000, until(() => api.approvals.for(id).some(p => p.spendCap !== undefined)), 'the spend cap question');
		assert.deepEqual(api.approvals.for(id)[0].spendCap, { spentUsd: 0.024, capUsd: 0.01 });
		const row = taskRow(id);
		assert.equal(row?.item.contextValue, 'plue.task.paused');
		assert.equal((row?.item.iconPath as vscode.ThemeIcon).id, 'debug-pause');
		assert.match(String(row?.item.description), /^paused · needs approval · .* · \$0\.0240 · /);
		// The input box suggests twice what was spent; Enter takes it.
		const resumed = vscode.commands.executeCommand<boolean>('plue.resumeTask', id);
		assert.equal(await enterUntilSettled(resumed, 'Resume to answer'), true);
		const done = await settled(id, 'completed', 'the resumed task to complete');
		assert.equal(done.spendCapUsd, 0.05);
		assert.equal(done.result, 'Read it.');
		assert.deepEqual(api.approvals.for(id), []);
	});

	test('Stop in the spend cap notification ends a paused task', async () => {
		const id = await run('task', 'IT-STOP: read the README', { spend_cap_usd: 0.01 });
		await within(30_000, until(() => api.approvals.for(id).some(p => p.spendCap !== undefined)), 'the spend cap question')
			.catch((e: Error) => { throw new Error(`${e.message}; the task: ${JSON.stringify(api.tasks.get(id))}`); });
		const prompt = api.approvals.for(id)[0];
		assert.equal(prompt.title, 'Reached its spend cap: $0.02 of $0.01');
		assert.equal(await pressNoticeButton(prompt.id, 'Stop'), true);
		const stopped = await settled(id, 'cancelled', 'the task to stop at its cap');
		assert.equal(stopped.statusReason, 'Stopped at its spend cap');
	});

	test('an orchestrator\'s sub-tasks appear under it, and its row shows the cost of the whole tree', async () => {
		const id = await run('task-orchestrator', 'IT-ORCHESTRATE: greet twice');
		const done = await settled(id, 'completed', 'the orchestrator to complete');
		const row = taskRow(id);
		assert.ok(row);
		assert.equal(row.item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
		const children = api.channelChildren(row.node);
		assert.deepEqual(children.map(c => c.label).sort(), ['IT child one', 'IT child two'], `the orchestrator ended: ${done.result ?? done.statusReason}`);
		for (const child of children) {
			assert.equal(child.task?.parentId, id);
			assert.equal((api.channelItem(child).iconPath as vscode.ThemeIcon).id, 'pass');
		}
		assert.ok(!api.channelChildren(api.channels().find(n => n.id === 'agentTasks') as ChannelNode).some(n => n.task?.parentId === id), 'a sub-task is listed as a root');
		// Two orchestrator turns and one turn per child.
		assert.ok(Math.abs((done.totalCostUsd ?? 0) - 4 * perCall) < 1e-9, `total cost ${done.totalCostUsd}`);
		assert.match(String(row.item.description), /· \$0\.0960 · /);
		// The tooltip's markdown escapes the task's words (spaces as &nbsp;, punctuation with \): read it as text.
		const tooltip = (row.item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
		assert.match(tooltip, /IT-ORCHESTRATE: greet twice/);
		assert.match(tooltip, /\$0\.0960 in total \(this task: \$0\.0480\)/);
		assert.match(tooltip, /Both children reported\./, 'the result is not in the tooltip');
	});

	test('a sidecar killed mid-orchestration is restarted by the window; Resume finishes all three parts, each token counted once', async () => {
		const id = await run('task-orchestrator', 'IT-RESUME: three parts');
		await within(30_000, until(() => crash.cut >= 2), 'two parts streaming');
		await new Promise(resolve => setTimeout(resolve, 1_500));
		const killed = api.sidecarPid;
		assert.ok(killed);
		crash.happened = true;
		process.kill(killed, 'SIGKILL');
		await within(30_000, until(() => api.state.kind === 'running' && api.sidecarPid !== undefined && api.sidecarPid !== killed), 'the window to start a new sidecar');
		const stopped = await settled(id, 'cancelled', 'the orchestrator to read as stopped by the crash');
		assert.equal(stopped.statusReason, 'The sidecar stopped while the task ran');

		assert.equal(await vscode.commands.executeCommand<boolean>('plue.resumeTask', id), true);
		await within(60_000, until(() => api.tasks.get(id)?.status === 'completed'), 'the resumed orchestrator to complete');
		const done = api.tasks.get(id) as AgentTask;
		assert.equal(done.result, 'All three parts reported.');
		const parts = api.tasks.all.filter(t => t.parentId === id);
		assert.deepEqual(parts.map(t => t.title).sort(), ['IT part a', 'IT part b', 'IT part c'], 'a part was started twice or lost');
		for (const part of parts) {
			assert.equal(part.status, 'completed', `${part.title}: ${part.statusReason}`);
			assert.equal(part.result, 'Part written.');
		}
		// Each token once: the tree's total is the answers that streamed to their end (12,000 in, 4,000 out each); the
		// cut ones reported nothing, and none was asked twice.
		assert.ok(crash.cut >= 2 && crash.served >= 5, `served ${crash.served}, cut ${crash.cut}`);
		assert.equal(done.totalUsage?.input, 12_000 * crash.served);
		assert.equal(done.totalUsage?.output, 4_000 * crash.served);
		assert.ok(Math.abs((done.totalCostUsd ?? 0) - crash.served * perCall) < 1e-9, `total cost ${done.totalCostUsd} for ${crash.served} answers`);
	});
});
