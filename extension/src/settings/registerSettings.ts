import * as vscode from 'vscode';
import type { JsonObject } from '../shared/protocol';
import { FormController, SettingsDeps } from './formController';
import type { SettingsTarget } from './formModel';
import { HomeController } from './homeController';
import { ControllerFactory, SettingsPanel } from './settingsPanel';

/**
 * A record to open: its codex id, or what carries one: a Channels row (its session or task), an MCP server, an
 * instance. Its title, when it carries one, names the panel before the form has loaded.
 */
type RecordArg = string | { id?: unknown; title?: unknown; session?: { id?: unknown; title?: unknown }; task?: { id?: unknown; title?: unknown } } | undefined;

/**
 * The settings panels and their commands: "Plue: Open Settings" (the home), and forms opened by other features
 * through `plue.settings.openRecord` (a record's id), `plue.settings.new` and `plue.settings.runTask` (a template id).
 */
export function registerSettings(deps: SettingsDeps): vscode.Disposable {
	const open = (target: SettingsTarget): SettingsPanel => SettingsPanel.show(deps.extensionUri, target, factory);
	const factory: ControllerFactory = (target, panel, seed) => target.kind === 'home'
		? new HomeController(panel, deps, next => open(next))
		: new FormController(target, panel, deps, seed);
	return vscode.Disposable.from(
		SettingsPanel.register(deps.extensionUri, factory),
		vscode.commands.registerCommand('plue.settings.open', () => { open({ kind: 'home' }); }),
		vscode.commands.registerCommand('plue.settings.openRecord', (arg?: RecordArg) => {
			const id = recordId(arg);
			if (id) {
				open({ kind: 'record', id, title: recordTitle(arg) });
			}
			return id;
		}),
		vscode.commands.registerCommand('plue.settings.new', (templateId?: string, start?: { title?: string; values?: JsonObject }) =>
			templateId ? open({ kind: 'new', templateId, title: start?.title, values: start?.values }) : open({ kind: 'home' })),
		vscode.commands.registerCommand('plue.settings.runTask', (templateId?: string) => runTaskForm(open, deps, templateId)),
	);
}

function recordId(arg: RecordArg): string | undefined {
	if (typeof arg === 'string') {
		return arg;
	}
	const id = arg?.session?.id ?? arg?.task?.id ?? arg?.id;
	return typeof id === 'string' ? id : undefined;
}

function recordTitle(arg: RecordArg): string | undefined {
	const title = typeof arg === 'object' ? arg.session?.title ?? arg.task?.title ?? arg.title : undefined;
	return typeof title === 'string' && title.trim() ? title : undefined;
}

/** "Plue: Run Task in a Form": the task template (asked when there are several), then its form. */
async function runTaskForm(open: (target: SettingsTarget) => SettingsPanel, deps: SettingsDeps, templateId?: string): Promise<void> {
	if (!templateId) {
		const all = await deps.sidecar.request('templates/list');
		const tasks = all.filter(t => t.active && t.usable && deps.kinds.of(t).runs);
		const picked = tasks.length === 1 ? { id: tasks[0].id } : await vscode.window.showQuickPick(tasks.map(t => ({ label: t.name, description: t.description, id: t.id })), { title: 'Run Task', placeHolder: 'Which kind of task' });
		templateId = picked?.id;
	}
	if (templateId) {
		open({ kind: 'run', templateId });
	}
}
