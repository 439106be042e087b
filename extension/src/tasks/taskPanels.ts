import * as vscode from 'vscode';
import { Panel, PanelKindSpec, titledBy } from '../panel/panel';
import { TaskController, TaskDeps } from './taskController';

/** Task panels for the shared panel host: titled after their task, a TaskController behind each. */
export function taskPanels(deps: TaskDeps): PanelKindSpec {
	return {
		kind: 'task',
		viewType: 'plue.task',
		extensionUri: deps.extensionUri,
		...titledBy(deps.tasks, deps.tasks.onDidChangeTask, 'Task'),
		controller: (id, webview) => new TaskController(id, webview, deps),
	};
}

/** Opens (or reveals) a task's panel. */
export function showTask(deps: TaskDeps, taskId: string): Panel {
	return Panel.show(taskPanels(deps), taskId);
}

/** Restores the task panels VS Code kept across a reload. */
export function registerTaskPanels(deps: TaskDeps): vscode.Disposable {
	return Panel.register(taskPanels(deps));
}
