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
	if (c.state === 'waiting') {
		return 'waiting for your answer (no job holds a node meanwhile)';
	}
	return c.reason && (c.state === 'failed' || c.state === 'stopped') ? `${c.state}: ${c.reason}` : c.state;
}

/** The tree row's few words: "in Build box" while it runs, "container failed" or "container starting" otherwise; a swarm job's, its node. */
export function containerShort(c: TaskContainerInfo): string {
	if (c.swarm) {
		return c.state === 'running' ? `on ${c.node ?? c.engine}` : `job ${c.state} on ${c.engine}`;
	}
	return c.state === 'running' ? `in ${c.engine}` : `container ${c.state} on ${c.engine}`;
}

/** A swarm job's lines: where it runs, that the swarm holds the key meanwhile, a retry after a lost node. */
function jobLines(c: TaskContainerInfo): string[] {
	const limits = containerLimits(c);
	return [
		`Runs as a job on the swarm ${c.engine}${c.node ? `, on node ${c.node}` : ''}: ${c.image}${c.shortId ? ` (${c.shortId})` : ''}`,
		`Limits: ${limits ?? 'none'} · network: its node's own`,
		'The swarm holds its provider key while its job runs (a secret made for the job, removed when it ends)',
		...(c.retried ? [c.retried] : []),
		`Job ${containerState(c)}`,
	];
}

/** The lines a tooltip or the panel's header gives, in order; empty for a task that runs on this machine. */
export function containerLines(task: AgentTask): string[] {
	const c = task.container;
	if (!c) {
		return [];
	}
	if (c.swarm) {
		return jobLines(c);
	}
	const limits = containerLimits(c);
	return [
		`Runs in a container on ${c.engine}: ${c.image}${c.shortId ? ` (${c.shortId})` : ''}`,
		`Limits: ${limits ?? 'none'} · network: ${containerNetwork(c)}`,
		`Container ${containerState(c)}`,
	];
}

/** Whether a terminal can be opened in the task's container now (not a swarm job's). */
export function hasRunningContainer(task: AgentTask): boolean {
	// A swarm job's container is on one of its nodes, which this machine does not reach.
	return task.container?.state === 'running' && !task.container.swarm;
}
