import * as vscode from 'vscode';
import { Panel, PanelKindSpec } from '../panel/panel';
import { TaskController, TaskDeps } from './taskController';

const viewType = 'plue.task';

/** Task panels for the shared panel host: titled after their task, a TaskController behind each. */
export function taskPanels(deps: TaskDeps): PanelKindSpec {
	return {
		kind: 'task',
		viewType,
		extensionUri: deps.extensionUri,
		title: id => deps.tasks.get(id)?.title ?? 'Task',
		watchTitle: (id, retitle) => deps.tasks.onDidChangeTask(task => {
			if (task.id === id) {
				retitle(task.title);
			}
		}),
		controller: (id, webview) => new TaskController(id, webview, deps),
	};
}

/** Opens (or reveals) a task's panel. */
export function showTask(deps: TaskDeps, taskId: string): Panel {
	return Panel.show(taskPanels(deps), taskId);
}

/** Restores the task panels VS Code kept across a reload. */
export function registerTaskPanels(deps: TaskDeps): vscode.Disposable {
	return vscode.window.registerWebviewPanelSerializer(viewType, Panel.serializer(taskPanels(deps)));
}
