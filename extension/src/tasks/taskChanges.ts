import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentTask, TaskApplyChangesResult } from '../shared/protocol';
import type { TaskDeps } from './taskController';

/** Whether a finished task left changes in its own worktree, waiting for review. */
export function hasChanges(task: AgentTask): boolean {
	return (task.changes?.length ?? 0) > 0;
}

/** Opens VS Code's multi-file diff: each file as the workspace has it, beside the task's version. Returns how many files. */
export async function reviewTaskChanges(deps: TaskDeps, task: AgentTask): Promise<number> {
	const changes = await deps.sidecar.request('task/changes', { id: task.id });
	const resources = changes.files.map(file => {
		const current = vscode.Uri.file(path.join(changes.folder, file.path));
		const proposed = vscode.Uri.file(path.join(changes.worktree, file.path));
		return [current, file.change === 'added' ? undefined : current, file.change === 'deleted' ? undefined : proposed] as const;
	});
	await vscode.commands.executeCommand('vscode.changes', `Changes of ${task.title}`, resources);
	return resources.length;
}

/** Applies the task's changes to its folder; a conflicted file is opened on its conflict markers. */
export async function applyTaskChanges(deps: TaskDeps, task: AgentTask): Promise<TaskApplyChangesResult> {
	const result = await deps.sidecar.request('task/applyChanges', { id: task.id });
	const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
	if (result.conflicts.length === 0) {
		void vscode.window.showInformationMessage(`Plue: applied the changes of "${task.title}" (${files}).`);
		return result;
	}
	// VS Code's merge-conflict support takes it from there: Accept Current / Incoming, or Resolve in Merge Editor.
	await vscode.window.showTextDocument(vscode.Uri.file(path.join(result.folder, result.conflicts[0])));
	void vscode.window.showWarningMessage(
		`Plue: "${task.title}" changed what was changed meanwhile in ${result.conflicts.join(', ')}: resolve the conflict markers (Accept Current or Incoming Change, or Resolve in Merge Editor).`);
	return result;
}

/** Drops the task's changes after the user confirms (`confirmed` skips the question). Returns whether they were dropped. */
export async function discardTaskChanges(deps: TaskDeps, task: AgentTask, confirmed = false): Promise<boolean> {
	const count = task.changes?.length ?? 0;
	if (!confirmed) {
		const answer = await vscode.window.showWarningMessage(
			`Discard the changes of "${task.title}"?`,
			{ modal: true, detail: `${count} file${count === 1 ? '' : 's'} changed in its own worktree will be lost; the workspace is not touched.` },
			'Discard');
		if (answer !== 'Discard') {
			return false;
		}
	}
	await deps.sidecar.request('task/discardChanges', { id: task.id });
	return true;
}
