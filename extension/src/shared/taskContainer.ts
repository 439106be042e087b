/** How a task's container is told in the user's words, shared by the tree and the task panel's header. No vscode imports. */
import type { AgentTask, TaskContainerInfo } from './protocol';

const networkWords: Record<string, string> = {
	none: 'no network',
	'allow-list': 'only the sandbox\'s allowed hosts',
	engine: 'the engine\'s own network',
};

/** The container's limits, each said only when set: "2 CPUs, 512 MiB memory, 256 processes"; undefined: none. */
export function containerLimits(c: TaskContainerInfo): string | undefined {
	const limits = [
		c.cpus !== undefined && c.cpus !== null ? `${c.cpus} CPU${c.cpus === 1 ? '' : 's'}` : undefined,
		c.memoryMb !== undefined && c.memoryMb !== null ? `${c.memoryMb} MiB memory` : undefined,
		c.pids !== undefined && c.pids !== null ? `${c.pids} processes` : undefined,
	].filter(Boolean);
	return limits.length ? limits.join(', ') : undefined;
}

export function containerNetwork(c: TaskContainerInfo): string {
	return networkWords[c.network] ?? c.network;
}

/** Its state, with the reason when it stopped or failed: "running", "failed: it ran out of memory". */
export function containerState(c: TaskContainerInfo): string {
	return c.reason && (c.state === 'failed' || c.state === 'stopped') ? `${c.state}: ${c.reason}` : c.state;
}

/** The tree row's few words: "in Build box" while it runs, "container failed" or "container starting" otherwise. */
export function containerShort(c: TaskContainerInfo): string {
	return c.state === 'running' ? `in ${c.engine}` : `container ${c.state} on ${c.engine}`;
}

/** The lines a tooltip or the panel's header gives, in order; empty for a task that runs on this machine. */
export function containerLines(task: AgentTask): string[] {
	const c = task.container;
	if (!c) {
		return [];
	}
	const limits = containerLimits(c);
	return [
		`Runs in a container on ${c.engine}: ${c.image}${c.shortId ? ` (${c.shortId})` : ''}`,
		`Limits: ${limits ?? 'none'} · network: ${containerNetwork(c)}`,
		`Container ${containerState(c)}`,
	];
}

/** Whether a terminal can be opened in the task's container now. */
export function hasRunningContainer(task: AgentTask): boolean {
	return task.container?.state === 'running';
}
