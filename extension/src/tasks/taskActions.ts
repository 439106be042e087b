import * as vscode from 'vscode';
import type { PanelDeps } from '../panel/panelActions';
import { AgentTask } from '../shared/protocol';
import { askSpendCap } from '../approvals/approvalActions';
import { isActive, isResumable, statusLooks } from '../shared/taskStatus';

/** What the task actions use of a task panel's deps. */
type TaskActionDeps = Pick<PanelDeps, 'sidecar' | 'approvals'>;

/** Stops a task and its sub-tasks. Returns whether it asked the sidecar to. */
export async function interruptTask(deps: TaskActionDeps, task: AgentTask): Promise<boolean> {
	if (!isActive(task)) {
		void vscode.window.showInformationMessage(`Plue: "${task.title}" is not running (${statusLooks[task.status].label.toLowerCase()}).`);
		return false;
	}
	await deps.sidecar.request('task/interrupt', { id: task.id });
	return true;
}

/** Continues a task; a paused one (its spend cap reached) is first given a higher cap. Returns whether it resumed. */
export async function resumeTask(deps: TaskActionDeps, task: AgentTask): Promise<boolean> {
	if (!isResumable(task)) {
		void vscode.window.showInformationMessage(`Plue: "${task.title}" cannot be resumed while ${statusLooks[task.status].label.toLowerCase()}.`);
		return false;
	}
	if (task.status !== 'paused') {
		await deps.sidecar.request('task/resume', { id: task.id });
		return true;
	}
	const cap = await askSpendCap(task.totalCostUsd, task.spendCapUsd, `Resume "${task.title}"`);
	if (cap === undefined) {
		return false;
	}
	// The sidecar asks a paused task's question itself (tool spend_cap): answering it raises the cap and resumes.
	const question = deps.approvals.for(task.id).find(prompt => prompt.spendCap);
	if (question && deps.approvals.answer(question.id, { decision: 'allow', message: String(cap) })) {
		return true;
	}
	await deps.sidecar.request('task/resume', { id: task.id, spendCapUsd: cap });
	return true;
}
