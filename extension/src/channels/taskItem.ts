import * as vscode from 'vscode';
import { describeCostSources, formatCost, formatTaskCost, formatElapsed, formatTokens } from '../shared/format';
import type { AgentTask } from '../shared/protocol';
import { statusLooks } from '../shared/taskStatus';
import { containerLines, containerShort, hasRunningContainer } from '../shared/taskContainer';

/** How the Channels tree shows one task: status icon, model · total cost · elapsed (and what the sandbox denied it), and a tooltip with the goal, its sandbox policy and denials. */
export function taskItem(task: AgentTask, hasChildren: boolean, elapsedMs: number, waitingHere: number, templateName?: string): vscode.TreeItem {
	const look = statusLooks[task.status];
	const item = new vscode.TreeItem(task.title || task.slug, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
	item.id = `task:${task.id}`;
	item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
	// The icon says running and completed; the words say what needs a look (or explains a stop).
	const waiting = task.status === 'waiting-approval' || waitingHere > 0;
	const status = task.status === 'running' || task.status === 'completed' || task.status === 'waiting-approval' ? undefined : look.label.toLowerCase();
	const changes = task.changes?.length ?? 0;
	const denied = task.sandboxDenials?.length ?? 0;
	item.description = [status, waiting ? 'needs approval' : undefined, denied ? `${denied} denied by the sandbox` : undefined, task.contextWarning ? 'prompt cut' : undefined, changes ? `${changes} file${changes === 1 ? '' : 's'} to review` : undefined, task.container ? containerShort(task.container) : undefined, task.modelId, formatTaskCost(task), formatElapsed(elapsedMs)].filter(Boolean).join(' · ');
	item.tooltip = task.unreadable ?? taskTooltip(task, elapsedMs, templateName);
	if (task.unreadable) {
		item.description = `unreadable · ${task.id}`;
	}
	// A finished task whose worktree holds changes offers Review, Apply and Discard.
	// A task whose container runs also offers a terminal in it.
	item.contextValue = `plue.task.${task.status}${changes ? '.changes' : ''}${hasRunningContainer(task) ? '.container' : ''}`;
	item.accessibilityInformation = { label: `${task.title}, ${look.label}, ${item.description}` };
	item.command = { command: 'plue.openTask', title: 'Open Task', arguments: [task.id] };
	return item;
}

function taskTooltip(task: AgentTask, elapsedMs: number, templateName: string | undefined): vscode.MarkdownString {
	const look = statusLooks[task.status];
	const tip = new vscode.MarkdownString('', true);
	// appendText escapes the task's own words; '  \n' is a markdown line break, '\n\n' a paragraph.
	const line = (text: string): void => void tip.appendText(text).appendMarkdown('  \n');
	const paragraph = (): void => void tip.appendMarkdown('\n\n');
	tip.appendMarkdown(`$(${look.icon.replace('~spin', '')}) **`).appendText(task.title || task.slug).appendMarkdown('**  \n');
	line(`${look.label}${task.statusReason ? `: ${task.statusReason}` : ''}`);
	if (task.pendingApproval) {
		line(`Waiting to use ${task.pendingApproval.tool}${task.pendingApproval.reason ? `: ${task.pendingApproval.reason}` : ''}`);
	}
	paragraph();
	tip.appendText(clip(task.goal, 400));
	paragraph();
	const total = task.totalUsage;
	const cap = task.spendCapUsd !== undefined ? ` · cap $${task.spendCapUsd.toFixed(2)}` : '';
	line(`${templateName ?? task.templateId} · ${task.modelId}`);
	line(`Turn ${task.turns} of ${task.maxTurns}${task.childCount ? ` · ${task.childCount} sub-task${task.childCount === 1 ? '' : 's'}` : ''} · ${formatElapsed(elapsedMs)}`);
	line(`${formatTokens(total.input)} in · ${formatTokens(total.output)} out · ${formatTaskCost(task)} in total (this task: ${formatCost(task.costUsd, task.costSources)})${cap}`);
	line(describeCostSources(task.totalCostSources));
	if (task.spendCapWarning) {
		line(`Warning: ${task.spendCapWarning}`);
	}
	if (task.contextWarning) {
		line(`Warning: ${task.contextWarning}`);
	}
	containerLines(task).forEach(line);
	// A swarm job runs on a node, in its job's container: this machine's sandbox does not apply there.
	const asJob = task.container?.swarm === true;
	if (task.sandboxPolicy && !asJob) {
		line(`Sandbox: ${task.sandboxPolicy}`);
	}
	for (const denial of task.sandboxDenials ?? []) {
		line(`Denied by the sandbox: ${denial.kind === 'host' ? `connecting to ${denial.what}` : `writing ${denial.what}`}`);
	}
	if (task.changes?.length) {
		line(`Changed in its own worktree, not yet in the workspace: ${task.changes.map(c => c.path).join(', ')}`);
	} else if (task.worktree) {
		line(asJob ? `Its work comes back to its own worktree: ${task.worktree}` : `Works in its own worktree: ${task.worktree}`);
	}
	if (task.result) {
		tip.appendMarkdown('\n\n---\n\n').appendText(clip(task.result, 600));
	}
	return tip;
}

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
