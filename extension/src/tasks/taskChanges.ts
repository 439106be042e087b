import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentTask, TaskApplyChangesResult } from '../shared/protocol';
import type { ConflictVersions } from './conflictVersions';
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

/** Applies the task's changes to its folder; each conflicted file opens in the merge editor (on its markers when it is binary or too large). */
export async function applyTaskChanges(deps: TaskDeps, conflicts: ConflictVersions, task: AgentTask): Promise<TaskApplyChangesResult> {
	const result = await deps.sidecar.request('task/applyChanges', { id: task.id });
	const files = `${result.files.length} file${result.files.length === 1 ? '' : 's'}`;
	if (result.conflicts.length === 0) {
		void vscode.window.showInformationMessage(`Plue: applied the changes of "${task.title}" (${files}).`);
		return result;
	}
	await showConflicts(conflicts, task.title, result);
	return result;
}

/**
 * Opens each file applying `title`'s changes left in conflict (by the user's Apply Changes, or an orchestrator's
 * merge_changes) in the merge editor, or on its markers when the sidecar sent no versions (binary, too large).
 */
export async function showConflicts(conflicts: ConflictVersions, title: string, result: TaskApplyChangesResult): Promise<void> {
	if (result.conflicts.length === 0) {
		return;
	}
	for (const conflict of result.conflictVersions) {
		await conflicts.open(result.folder, title, conflict);
	}
	const onMarkers = result.conflicts.filter(file => !result.conflictVersions.some(c => c.path === file));
	if (onMarkers.length > 0) {
		// VS Code's merge-conflict support takes it from there: Accept Current or Incoming Change.
		await vscode.window.showTextDocument(vscode.Uri.file(path.join(result.folder, onMarkers[0])));
	}
	void vscode.window.showWarningMessage(
		`Plue: "${title}" changed lines the workspace had changed too in ${result.conflicts.join(', ')}: choose what to keep in the merge editor, then Complete Merge.`);
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
