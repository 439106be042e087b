import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import { showError } from '../sidecar/commandErrors';
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
 * chat or task named by its title (`permissions/list`); the one picked has its pattern edited (its command prefix,
 * path glob or host, written to its record) or is revoked, or all of this workspace's are, after a confirmation
 * (`permissions/reset`). Returns how many were revoked (0 after an edit); undefined when cancelled or failed.
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
		const picked = options.forget !== undefined ? scripted(options.forget, workspace) : await pick(workspace, owned);
		const forget = picked === undefined || picked === 'all' || options.forget !== undefined ? picked : await editOrForget(sidecar, picked);
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
		showError('manage the tool permissions', error);
		return undefined;
	}
}

/** The parts of a grant's pattern a user may edit, by the tool it is for: its field, its label and what empty means. */
interface PatternPart { field: 'command_prefix' | 'path_glob' | 'host' | 'sandbox_path' | 'sandbox_host'; label: string; empty?: string; value?: string }

function patternParts(grant: ToolGrantInfo): PatternPart[] {
	if (grant.sandboxPath !== undefined || grant.sandboxHost !== undefined) {
		return grant.sandboxPath !== undefined ? [{ field: 'sandbox_path', label: 'writable path', value: grant.sandboxPath }] : [{ field: 'sandbox_host', label: 'reachable host', value: grant.sandboxHost }];
	}
	const parts: PatternPart[] = [];
	if (grant.tool === 'bash') {
		parts.push({ field: 'command_prefix', label: 'command prefix', empty: 'every command', value: grant.commandPrefix });
	} else if (grant.tool === 'write' || grant.tool === 'edit') {
		parts.push({ field: 'path_glob', label: 'path glob', empty: 'every path', value: grant.pathGlob });
	}
	if (grant.host !== undefined || grant.tool.startsWith('mcp__')) {
		parts.push({ field: 'host', label: 'host', empty: 'any host', value: grant.host });
	}
	return parts;
}

interface ActionItem extends vscode.QuickPickItem { part?: PatternPart }

/**
 * What to do with the grant picked: edit a part of its pattern (written to its record with `codex/update`, the title
 * following) or forget it. Returns the grant to forget; undefined when it was edited or nothing was done.
 */
async function editOrForget(sidecar: Sidecar, grant: ToolGrantInfo): Promise<ToolGrantInfo | undefined> {
	const parts = patternParts(grant);
	if (parts.length === 0) {
		return grant;
	}
	const items: ActionItem[] = [
		...parts.map(part => ({ label: `$(edit) Edit the ${part.label}…`, description: part.value ? `now ${part.value}` : part.empty ? `now ${part.empty}` : undefined, part })),
		{ label: '$(trash) Forget', description: 'it will ask you again before each use' },
	];
	const action = await vscode.window.showQuickPick(items, { title: grant.what, placeHolder: `Edit what ${grant.what} allows ${where(grant)}, or forget it`, ignoreFocusOut: true });
	if (!action) {
		return undefined;
	}
	if (!action.part) {
		return grant;
	}
	const part = action.part;
	const typed = await vscode.window.showInputBox({
		title: `${grant.what}: ${part.label}`,
		value: part.value ?? '',
		prompt: part.empty ? `Empty: ${part.empty}.` : undefined,
		ignoreFocusOut: true,
		validateInput: text => !part.empty && text.trim() === '' ? `Type the ${part.label}.` : undefined,
	});
	if (typed === undefined || typed.trim() === (part.value ?? '')) {
		return undefined;
	}
	const value = typed.trim();
	const edited = { ...grant, ...fieldsAsInfo(part.field, value || undefined) };
	await sidecar.request('codex/update', { id: grant.id, version: grant.version, fields: { [part.field]: value || null }, title: `${whatOf(edited)} (${grant.scope})` });
	void vscode.window.showInformationMessage(`${whatOf(edited)} ${grant.decision === 'deny' ? 'is refused' : 'runs without asking'} ${where(grant)}.`);
	return undefined;
}

function fieldsAsInfo(field: PatternPart['field'], value: string | undefined): Partial<ToolGrantInfo> {
	switch (field) {
		case 'command_prefix': return { commandPrefix: value };
		case 'path_glob': return { pathGlob: value };
		case 'host': return { host: value };
		case 'sandbox_path': return { sandboxPath: value };
		case 'sandbox_host': return { sandboxHost: value };
	}
}

/** A grant in words, as the sidecar writes them (`bash `npm test``, `write src/**`, `bash to example.com`). */
function whatOf(grant: ToolGrantInfo): string {
	if (grant.sandboxPath !== undefined || grant.sandboxHost !== undefined) {
		return grant.sandboxPath !== undefined ? `${grant.tool} may write ${grant.sandboxPath}` : `${grant.tool} may reach ${grant.sandboxHost}`;
	}
	const what = grant.commandPrefix ? `${grant.tool} \`${grant.commandPrefix}\`` : grant.pathGlob ? `${grant.tool} ${grant.pathGlob}` : grant.tool;
	return grant.host ? `${what} to ${grant.host}` : what;
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
		placeHolder: 'Pick one to edit what it allows, or to forget it: it will then ask you again before each use',
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
