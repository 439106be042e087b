/** How each task status is named and drawn, shared by the tree, the status bar and the task panel's header. No vscode imports. */
import type { AgentTask, AgentTaskStatus } from './protocol';

export interface StatusLook {
	/** A codicon, `~spin` allowed. */
	icon: string;
	/** A theme colour id for the icon, if it has one. */
	color?: string;
	label: string;
}

export const statusLooks: Record<AgentTaskStatus, StatusLook> = {
	queued: { icon: 'clock', label: 'Queued' },
	running: { icon: 'loading~spin', label: 'Running' },
	'waiting-approval': { icon: 'bell-dot', color: 'list.warningForeground', label: 'Needs approval' },
	paused: { icon: 'debug-pause', color: 'list.warningForeground', label: 'Paused' },
	completed: { icon: 'pass', color: 'testing.iconPassed', label: 'Completed' },
	failed: { icon: 'error', color: 'testing.iconFailed', label: 'Failed' },
	// The user's word for it everywhere (the Interrupt command, the sidecar's reason): the wire keeps `cancelled`.
	cancelled: { icon: 'circle-slash', label: 'Interrupted' },
};

/** Still going: it can be interrupted and steered. */
export function isActive(task: AgentTask): boolean {
	return task.status === 'queued' || task.status === 'running' || task.status === 'waiting-approval';
}

/** Stopped before finishing: it can be resumed. */
export function isResumable(task: AgentTask): boolean {
	return task.status === 'paused' || task.status === 'cancelled' || task.status === 'failed';
}

/** Its run's clock is going: running, or waiting for the user inside a run. */
export function isClockRunning(task: AgentTask): boolean {
	return task.status === 'running' || task.status === 'waiting-approval';
}
