import * as vscode from 'vscode';
import { ApprovalDeps, approveTask } from '../approvals/approvalActions';
import { grantName, McpServer } from '../mcp/mcpServer';
import type { AgentTask, JsonObject, RecordView } from '../shared/protocol';
import type { KindSettings } from '../settings/kindSettings';
import type { McpPrompts } from '../panel/mcpPrompts';
import { pickInstanceAndModel } from '../providers/pickModel';
import { isActive, isResumable, statusLooks } from '../shared/taskStatus';
import { composeGoal, Goal } from './goalComposer';
import { pickMcpGrant } from './pickMcpServers';
import { interruptTask, resumeTask } from './taskActions';
import { ConflictVersions } from './conflictVersions';
import { applyTaskChanges, discardTaskChanges, hasChanges, reviewTaskChanges, showConflicts } from './taskChanges';
import type { TaskDeps } from './taskController';
import { listTaskTemplates, templateName } from './taskTemplates';
import { errorText } from '../shared/errorText';
import { showError } from '../sidecar/commandErrors';
import { hasRunningContainer } from '../shared/taskContainer';
import { engineSteps, openContainerTerminal, testEngine } from './containerTerminal';
import { pickPlace } from './pickPlace';

/** A command's task argument: a Channels tree node (context menu), a task id (tree click, other commands) or nothing (palette: pick one). */
type TaskArg = { task?: { id: string } } | string | undefined;

/** `plue.runTask`'s optional argument: what to run without asking (keybindings, tests). Anything left out is asked for. */
export interface RunTaskOptions {
	templateId?: string;
	prompt?: string;
	title?: string;
	instanceId?: string;
	modelId?: string;
	/** More template fields: limits such as `spend_cap_usd`, `auto_approve`; `mcp_tools` here skips the MCP servers question, `runs` the "where" one. */
	fields?: JsonObject;
	/** The MCP servers to grant, by slug; given (even empty), the question is skipped. */
	mcpServers?: string[];
}

/** The configured MCP servers, for Run Task's grant question. */
export type McpServerSource = () => Promise<McpServer[]>;

/** The task commands. Each returns what the tests can check. */
export function registerTaskCommands(deps: TaskDeps, approvalDeps: ApprovalDeps, mcpServers: McpServerSource): vscode.Disposable[] {
	// `action` names what failed: "Could not resume the task: …".
	const command = <A extends unknown[]>(id: string, action: string, run: (...args: A) => Promise<unknown>): vscode.Disposable =>
		vscode.commands.registerCommand(id, (...args: A) => run(...args).catch((error: unknown) => {
			showError(action, error);
			return undefined;
		}));
	const conflicts = new ConflictVersions();
	return [
		conflicts,
		vscode.workspace.registerTextDocumentContentProvider(ConflictVersions.scheme, conflicts),
		// An orchestrator's merge_changes left conflicts: the same merge editor as the user's Apply Changes.
		deps.sidecar.onNotification('task/merged', merged => void showConflicts(conflicts, merged.title, merged.result)),
		command('plue.runTask', 'run the task', (options?: RunTaskOptions) => runTask(deps, mcpServers, options)),
		command('plue.openTask', 'open the task', async (arg?: TaskArg) => {
			const task = await taskFrom(deps, arg, 'Open Task', () => true);
			if (task) {
				deps.openTask(task.id);
			}
			return task?.id;
		}),
		command('plue.interruptTask', 'interrupt the task', async (arg?: TaskArg) => {
			const task = await taskFrom(deps, arg, 'Interrupt Task', isActive);
			return task ? interruptTask(deps, task) : false;
		}),
		command('plue.resumeTask', 'resume the task', async (arg?: TaskArg) => {
			const task = await taskFrom(deps, arg, 'Resume Task', isResumable);
			return task ? resumeTask(deps, task) : false;
		}),
		command('plue.approveTask', 'answer the task\'s approval', async (arg?: TaskArg) => {
			const task = arg === undefined ? undefined : await taskFrom(deps, arg, 'Approve', () => true);
			return approveTask(approvalDeps, task);
		}),
		command('plue.reviewTaskChanges', 'review the task\'s changes', async (arg?: TaskArg) => {
			const task = await taskFrom(deps, arg, 'Review Changes', hasChanges);
			return task ? reviewTaskChanges(deps, task) : undefined;
		}),
		command('plue.applyTaskChanges', 'apply the task\'s changes', async (arg?: TaskArg) => {
			const task = await taskFrom(deps, arg, 'Apply Changes', hasChanges);
			return task ? applyTaskChanges(deps, conflicts, task) : undefined;
		}),
		command('plue.discardTaskChanges', 'discard the task\'s changes', async (arg?: TaskArg, confirmed?: boolean) => {
			const task = await taskFrom(deps, arg, 'Discard Changes', hasChanges);
			return task ? discardTaskChanges(deps, task, confirmed === true) : false;
		}),
		vscode.commands.registerCommand('plue.openTaskTerminal', async (arg?: TaskArg) => {
			try {
				const task = await taskFrom(deps, arg, 'Open a Terminal in the Container', hasRunningContainer);
				const terminal = task ? await openContainerTerminal(deps.sidecar, task) : undefined;
				terminal?.show();
				return terminal?.name;
			} catch (error) {
				showError('open a terminal in the container', error, { next: engineSteps(error) });
				return undefined;
			}
		}),
		// An engine is a record of the docker-engine template: its form in the settings is where it is added.
		command('plue.addEngine', 'add a Docker engine', async () => { await vscode.commands.executeCommand('plue.settings.new', 'docker-engine'); }),
		command('plue.testEngine', 'test the Docker engine', (name?: string) => testEngine(deps.sidecar, name)),
		command('plue.tasks.refresh', 'refresh the tasks', () => deps.tasks.refresh()),
	];
}

/** Template, goal, instance and model, then the MCP servers to grant and where it runs (when a Docker engine is added), and the longer goal when the user asked to write one; starts the task and opens its panel. Returns the task id. */
async function runTask(deps: TaskDeps, mcpServers: McpServerSource, options: RunTaskOptions = {}): Promise<string | undefined> {
	let templateId = options.templateId;
	if (!templateId) {
		const templates = await listTaskTemplates(deps.sidecar);
		if (templates.length === 0) {
			throw new Error('the sidecar offers no task templates (see "Plue" output for template problems)');
		}
		const picked = await vscode.window.showQuickPick(
			templates.map(t => ({ label: t.name, description: t.id === t.name ? undefined : t.id, detail: t.description, id: t.id })),
			{ title: 'Run Task: Template', placeHolder: 'What kind of agent should work on it?', matchOnDetail: true },
		);
		if (!picked) {
			return undefined;
		}
		templateId = picked.id;
	}
	const typed = options.prompt !== undefined ? { text: options.prompt, compose: false } : await askGoal(deps.mentions.prompts);
	if (!typed) {
		return undefined;
	}
	let instanceId = options.instanceId;
	let modelId = options.modelId;
	let allowUnlisted: boolean | undefined;
	if (!instanceId || !modelId) {
		const picked = await pickInstanceAndModel(deps.sidecar, deps.instances, 'Run Task');
		if (!picked) {
			return undefined;
		}
		({ instanceId, modelId, allowUnlisted } = picked);
	}
	const fields = await withMcpGrant(deps, mcpServers, options);
	if (!fields) {
		return undefined;
	}
	if (fields.runs === undefined) {
		const place = await pickPlace(deps.sidecar);
		if (!place) {
			return undefined;
		}
		Object.assign(fields, place);
	}
	const start = async (goal: Goal): Promise<AgentTask> => deps.sidecar.request('task/start', {
		templateId, prompt: goal.text.trim(), attachments: goal.attachments.length > 0 ? goal.attachments : undefined, title: options.title,
		providerRef: instanceId, modelId, allowUnlisted, fields: Object.keys(fields).length > 0 ? fields : undefined,
	});
	const task = typed.compose
		? await composeGoal(deps, `New task: ${await templateName(deps.sidecar, templateId)} · ${await deps.instances.nameOf(instanceId)} · ${modelId}`, typed.text, start)
		: await start({ text: typed.text, attachments: [] });
	if (!task) {
		return undefined;
	}
	deps.tasks.seed(task);
	deps.openTask(task.id);
	if (task.spendCapWarning) {
		// The task runs; the user learns now, not at the bill, that its cap cannot stop it.
		void vscode.window.showWarningMessage(`${task.title}: ${task.spendCapWarning}`);
	}
	return task.id;
}

/**
 * The goal in one line, for the quick path; the box's button (or an empty Enter) opens the composer instead, for a
 * goal of several lines with @-mentions and attached files (after the model and tools are chosen, so its Send starts
 * the task). `/` at its start lists the used commands with their descriptions, as the composers' `/` menu does (the
 * same search, without a chat's own `/compact` and `/system`); a choice fills `/name ` for its arguments. What is typed
 * is the goal, never a filter: the list shows only while a command's name is typed. Undefined when cancelled.
 */
function askGoal(prompts: McpPrompts): Promise<{ text: string; compose: boolean } | undefined> {
	const box = vscode.window.createQuickPick<vscode.QuickPickItem & { command?: string }>();
	box.title = 'Run Task: Goal';
	box.placeholder = 'What the task must achieve, e.g. Add input validation to src/api/users.ts and a test for it (/ lists the commands; the button writes a longer goal)';
	box.ignoreFocusOut = true;
	const composer: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('note'), tooltip: 'Write a longer goal, with @-mentions and attached files' };
	box.buttons = [composer];
	const naming = (value: string) => /^\/([^\s/]*)$/.exec(value)?.[1];
	return new Promise(resolve => {
		const done = (answer: { text: string; compose: boolean } | undefined): void => {
			resolve(answer);
			box.dispose();
		};
		box.onDidTriggerButton(button => button === composer && done({ text: box.value, compose: true }));
		box.onDidChangeValue(value => {
			const query = naming(value);
			if (query === undefined) {
				box.items = [];
				return;
			}
			void prompts.search(query, false).then(found => {
				if (box.value === value) {
					box.items = found.filter(item => item.kind === 'command').map(item => ({ label: item.label, description: item.description, command: item.command }));
				}
			});
		});
		box.onDidAccept(() => {
			const [chosen] = box.activeItems;
			if (chosen?.command && naming(box.value) !== undefined) {
				box.value = `/${chosen.command} `;
				box.items = [];
			} else if (box.value.trim()) {
				done({ text: box.value.trim(), compose: false });
			} else {
				box.placeholder = 'Describe the goal, or use the button to write a longer one';
			}
		});
		box.onDidHide(() => done(undefined));
		box.show();
	});
}

/** The task's fields with the MCP servers granted (`mcp_tools`), asked for unless the options say; undefined when cancelled. */
async function withMcpGrant(deps: TaskDeps, mcpServers: McpServerSource, options: RunTaskOptions): Promise<JsonObject | undefined> {
	const fields: JsonObject = { ...options.fields };
	if (fields.mcp_tools !== undefined) {
		return fields;
	}
	let grant = options.mcpServers?.map(grantName);
	if (!grant) {
		let servers: McpServer[] = [];
		try {
			servers = await mcpServers();
		} catch (error) {
			// A task without MCP tools is still worth starting; the MCP Servers view shows the problem.
			deps.log.warn(`Run Task: could not list MCP servers: ${errorText(error)}`);
		}
		grant = await pickMcpGrant(servers);
		if (!grant) {
			return undefined;
		}
	}
	if (grant.length > 0) {
		fields.mcp_tools = grant;
	}
	return fields;
}

/** The task an argument names, or one the user picks among those `eligible`. */
async function taskFrom(deps: TaskDeps, arg: TaskArg, title: string, eligible: (task: AgentTask) => boolean): Promise<AgentTask | undefined> {
	const id = typeof arg === 'string' ? arg : arg?.task?.id;
	if (id) {
		return deps.tasks.ensure(id);
	}
	await deps.tasks.refresh();
	const candidates = deps.tasks.all.filter(eligible).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
	if (candidates.length === 0) {
		void vscode.window.showInformationMessage(deps.tasks.lastError ? `Plue: ${deps.tasks.lastError}` : `Plue: there is no task to ${title.toLowerCase().replace(/ task$/, '')}.`);
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(
		candidates.map(task => ({
			label: `$(${statusLooks[task.status].icon}) ${task.title || task.slug}`,
			description: `${statusLooks[task.status].label} · ${task.modelId}`,
			detail: task.parentId ? `sub-task of ${deps.tasks.get(task.parentId)?.title ?? task.parentId}` : undefined,
			task,
		})),
		{ title, placeHolder: 'Pick a task', matchOnDescription: true },
	);
	return picked?.task;
}

/** A task in the settings room: its templates start one (Run Task), from a form of their fields. */
export const taskSettings: readonly [RecordView['kind'], KindSettings] = ['task', { runs: true }];
