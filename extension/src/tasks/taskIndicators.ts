import * as vscode from 'vscode';
import type { AgentTasks } from './agentTasks';
import type { Approvals } from '../approvals/approvals';

/** Tasks and chats waiting for the user: tasks in `waiting-approval` and every owner of a question this window was asked. */
export function waitingOwners(tasks: AgentTasks, approvals: Approvals): Set<string> {
	const owners = new Set(tasks.all.filter(task => task.status === 'waiting-approval').map(task => task.id));
	for (const prompt of approvals.all) {
		owners.add(prompt.taskId ?? prompt.sessionId ?? prompt.id);
	}
	return owners;
}

/** The Channels view's badge: how many tasks (and chats) wait for an approval. */
export function bindApprovalBadge(view: vscode.TreeView<unknown>, tasks: AgentTasks, approvals: Approvals): vscode.Disposable {
	const render = (): void => {
		const count = waitingOwners(tasks, approvals).size;
		view.badge = count ? { value: count, tooltip: `${count} ${count === 1 ? 'task waits' : 'tasks wait'} for your approval` } : undefined;
	};
	render();
	return vscode.Disposable.from(tasks.onDidChange(render), approvals.onDidChange(render));
}

/** The status bar item counting running tasks and those waiting for approval; hidden when there are none. A click answers or reveals. */
export function createTaskStatusBar(tasks: AgentTasks, approvals: Approvals): vscode.Disposable {
	const item = vscode.window.createStatusBarItem('plue.tasks', vscode.StatusBarAlignment.Right, 98);
	item.name = 'Plue Tasks';
	const render = (): void => {
		const running = tasks.all.filter(task => task.status === 'running' || task.status === 'queued').length;
		const waiting = waitingOwners(tasks, approvals).size;
		if (!running && !waiting) {
			item.hide();
			return;
		}
		item.text = [running ? `$(loading~spin) ${running}` : undefined, waiting ? `$(shield) ${waiting}` : undefined].filter(Boolean).join(' ');
		item.tooltip = [running ? `${running} agent ${running === 1 ? 'task' : 'tasks'} running` : undefined, waiting ? `${waiting} waiting for your approval: click to answer` : undefined].filter(Boolean).join('\n');
		item.command = waiting ? 'plue.approveTask' : 'plue.channels.focus';
		item.backgroundColor = waiting ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
		item.accessibilityInformation = { label: `Plue: ${item.tooltip}` };
		item.show();
	};
	render();
	return vscode.Disposable.from(item, tasks.onDidChange(render), approvals.onDidChange(render));
}
