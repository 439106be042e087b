import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { showCommandError } from '../sidecar/commandErrors';
import { PermissionsResetParams } from '../shared/protocol';
import type { AgentTasks } from '../tasks/agentTasks';

/** `plue.permissions.manage`'s argument for scripts: what to forget without the pick ('all', or one tool of this workspace), and `confirmed` to skip the question. */
export interface ManagePermissionsOptions {
	forget?: string;
	confirmed?: boolean;
}

/** One remembered "allow always": for this workspace (persisted), or for one running task (until it ends). */
interface Remembered {
	tool: string;
	taskId?: string;
}

interface RememberedItem extends vscode.QuickPickItem {
	forget?: Remembered | 'all';
}

/**
 * Lists the tools allowed always in this workspace and by running tasks (`permissions/list`), and forgets the one
 * picked, or all of this workspace's, after a confirmation (`permissions/reset`). Returns how many were forgotten;
 * undefined when cancelled or failed.
 */
export async function manageToolPermissions(sidecar: Sidecar, tasks: AgentTasks, options: ManagePermissionsOptions = {}): Promise<number | undefined> {
	try {
		const list = await sidecar.request('permissions/list');
		const workspaceTools = list.workspaces.find(w => w.current)?.tools ?? [];
		const taskEntries = list.tasks.flatMap(t => t.tools.map((tool): Remembered => ({ tool, taskId: t.taskId })));
		if (workspaceTools.length === 0 && taskEntries.length === 0) {
			void vscode.window.showInformationMessage('No tool is allowed always in this workspace. Answering "Allow Always" when a tool asks remembers it here.');
			return 0;
		}
		const forget = options.forget !== undefined ? scripted(options.forget, workspaceTools) : await pick(workspaceTools, taskEntries, tasks);
		if (!forget || (!options.confirmed && !(await confirm(forget, workspaceTools.length, tasks)))) {
			return undefined;
		}
		const params: PermissionsResetParams = forget === 'all' ? {} : forget.taskId ? { taskId: forget.taskId, tool: forget.tool } : { tool: forget.tool };
		const { removed } = await sidecar.request('permissions/reset', params);
		void vscode.window.showInformationMessage(forget === 'all'
			? `Forgot ${removed} tool${removed === 1 ? '' : 's'} allowed always: they ask again before each use.`
			: `${forget.tool} asks again before each use${forget.taskId ? ` in ${taskName(tasks, forget.taskId)}` : ''}.`);
		return removed;
	} catch (error) {
		showCommandError('manage the tool permissions', error);
		return undefined;
	}
}

function scripted(forget: string, workspaceTools: string[]): Remembered | 'all' {
	if (forget === 'all' || workspaceTools.includes(forget)) {
		return forget === 'all' ? 'all' : { tool: forget };
	}
	throw new Error(`${forget} is not allowed always in this workspace`);
}

async function pick(workspaceTools: string[], taskEntries: Remembered[], tasks: AgentTasks): Promise<Remembered | 'all' | undefined> {
	const items: RememberedItem[] = [];
	if (workspaceTools.length > 0) {
		items.push({ label: 'This workspace', kind: vscode.QuickPickItemKind.Separator });
		items.push(...workspaceTools.map((tool): RememberedItem => ({
			label: `$(unlock) ${tool}`, description: 'runs without asking in this workspace', detail: toolKind(tool), forget: { tool },
		})));
	}
	if (taskEntries.length > 0) {
		items.push({ label: 'Running tasks', kind: vscode.QuickPickItemKind.Separator });
		items.push(...taskEntries.map((entry): RememberedItem => ({
			label: `$(unlock) ${entry.tool}`, description: `runs without asking in ${taskName(tasks, entry.taskId ?? '')}, until it ends`, detail: toolKind(entry.tool), forget: entry,
		})));
	}
	if (workspaceTools.length > 1) {
		items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
		items.push({ label: `$(trash) Forget all ${workspaceTools.length} of this workspace`, forget: 'all' });
	}
	const picked = await vscode.window.showQuickPick(items, {
		title: 'Tool Permissions: allowed always',
		placeHolder: 'Pick one to forget: it will ask you again before each use',
		matchOnDescription: true,
		ignoreFocusOut: true,
	});
	return picked?.forget;
}

async function confirm(forget: Remembered | 'all', workspaceCount: number, tasks: AgentTasks): Promise<boolean> {
	const [message, detail] = forget === 'all'
		? [`Forget all ${workspaceCount} tools allowed always in this workspace?`, 'Each will ask you again before it runs.']
		: [`Forget "allow always" for ${forget.tool}?`, `It will ask you again before each use${forget.taskId ? ` in ${taskName(tasks, forget.taskId)}` : ' in this workspace'}.`];
	return (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Forget')) === 'Forget';
}

function taskName(tasks: AgentTasks, taskId: string): string {
	const task = tasks.get(taskId);
	return task ? `task "${task.title || task.slug}"` : 'a task';
}

/** What kind of tool a name is, in words. */
function toolKind(tool: string): string | undefined {
	const mcp = /^mcp__([a-z0-9][a-z0-9-]*)(?:__(.+))?$/.exec(tool);
	if (mcp) {
		return mcp[2] ? `Tool ${mcp[2]} of the MCP server ${mcp[1]}` : `Every tool of the MCP server ${mcp[1]}`;
	}
	switch (tool) {
		case 'write': return 'Creates and overwrites files';
		case 'edit': return 'Changes files';
		case 'bash': return 'Runs shell commands';
		default: return undefined;
	}
}
