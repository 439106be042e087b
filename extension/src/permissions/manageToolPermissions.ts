import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { showCommandError } from '../sidecar/commandErrors';
import type { PermissionsResetParams, ToolGrantInfo } from '../shared/protocol';
import type { AgentTasks } from '../tasks/agentTasks';

/** `plue.permissions.manage`'s argument for scripts: what to forget without the pick ('all', or one tool of this workspace), and `confirmed` to skip the question. */
export interface ManagePermissionsOptions {
	forget?: string;
	confirmed?: boolean;
}

interface GrantItem extends vscode.QuickPickItem {
	forget?: ToolGrantInfo | 'all';
}

/**
 * Lists the grants ("Always…" answers, the `tool-grant` records) of this workspace and of each chat and task, each
 * chat or task named by its title (`permissions/list`), and revokes the one picked, or all of this workspace's,
 * after a confirmation (`permissions/reset`). Returns how many were revoked; undefined when cancelled or failed.
 */
export async function manageToolPermissions(sidecar: Sidecar, _tasks: AgentTasks, options: ManagePermissionsOptions = {}): Promise<number | undefined> {
	try {
		const { grants } = await sidecar.request('permissions/list');
		const workspace = grants.filter(g => g.scope === 'workspace' && g.current);
		const owned = grants.filter(g => g.scope !== 'workspace');
		if (workspace.length === 0 && owned.length === 0) {
			void vscode.window.showInformationMessage('No tool is allowed always in this workspace. Answering "Always…" when a tool asks remembers it here.');
			return 0;
		}
		const forget = options.forget !== undefined ? scripted(options.forget, workspace) : await pick(workspace, owned);
		if (!forget || (!options.confirmed && !(await confirm(forget, workspace.length)))) {
			return undefined;
		}
		const params: PermissionsResetParams = forget === 'all' ? {} : { id: forget.id };
		const { removed } = await sidecar.request('permissions/reset', params);
		void vscode.window.showInformationMessage(forget === 'all'
			? `Forgot ${removed} tool${removed === 1 ? '' : 's'} allowed always: they ask again before each use.`
			: `${forget.what} asks again before each use ${where(forget)}.`);
		return removed;
	} catch (error) {
		showCommandError('manage the tool permissions', error);
		return undefined;
	}
}

function scripted(forget: string, workspace: ToolGrantInfo[]): ToolGrantInfo | 'all' {
	const grant = workspace.find(g => g.what === forget);
	if (forget === 'all' || grant) {
		return grant ?? 'all';
	}
	throw new Error(`${forget} is not allowed always in this workspace`);
}

async function pick(workspace: ToolGrantInfo[], owned: ToolGrantInfo[]): Promise<ToolGrantInfo | 'all' | undefined> {
	const items: GrantItem[] = [];
	const section = (label: string, grants: ToolGrantInfo[]): void => {
		if (grants.length > 0) {
			items.push({ label, kind: vscode.QuickPickItemKind.Separator });
			items.push(...grants.map((grant): GrantItem => ({
				label: `$(${grant.decision === 'deny' ? 'lock' : 'unlock'}) ${grant.what}`,
				description: `${grant.decision === 'deny' ? 'refused' : 'runs without asking'} ${where(grant)}`,
				detail: toolKind(grant.tool),
				forget: grant,
			})));
		}
	};
	section('Everywhere', owned.filter(g => g.scope === 'everywhere'));
	section('This workspace', workspace);
	section('Chats', owned.filter(g => g.scope === 'chat'));
	section('Tasks', owned.filter(g => g.scope === 'task'));
	if (workspace.length > 1) {
		items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
		items.push({ label: `$(trash) Forget all ${workspace.length} of this workspace`, forget: 'all' });
	}
	const picked = await vscode.window.showQuickPick(items, {
		title: 'Tool Permissions: allowed always',
		placeHolder: 'Pick one to forget: it will ask you again before each use',
		matchOnDescription: true,
		ignoreFocusOut: true,
	});
	return picked?.forget;
}

async function confirm(forget: ToolGrantInfo | 'all', workspaceCount: number): Promise<boolean> {
	const [message, detail] = forget === 'all'
		? [`Forget all ${workspaceCount} tools allowed always in this workspace?`, 'Each will ask you again before it runs.']
		: [`Forget "allow always" for ${forget.what}?`, `It will ask you again before each use ${where(forget)}.`];
	return (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Forget')) === 'Forget';
}

/** Where a grant holds, for people: "everywhere", "in this workspace", "in chat "Refactor"", "in task "Write the parser"". */
export function where(grant: ToolGrantInfo): string {
	if (grant.scope === 'workspace') {
		return 'in this workspace';
	}
	if (grant.scope === 'everywhere') {
		return 'everywhere';
	}
	return grant.ownerTitle ? `in ${grant.scope} "${grant.ownerTitle}"` : `in a ${grant.scope} that is gone`;
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
