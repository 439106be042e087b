import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { JsonObject } from '../shared/protocol';

/**
 * Run Task's "where": this machine, a container on one of the Docker engines the user added, or jobs on a swarm one, as
 * the task's `runs` and `engine` fields. Asked only when an engine is added (else it runs here, as before); undefined when cancelled.
 */
export async function pickPlace(sidecar: Sidecar): Promise<JsonObject | undefined> {
	let engines: { title: string; swarm: boolean }[];
	try {
		engines = (await sidecar.request('codex/list', { templateId: 'docker-engine', sort: 'titleAsc', limit: 200 })).items
			.map(e => ({ title: e.title, swarm: e.fields.swarm === true }));
	} catch {
		return {};  // a sidecar that cannot list engines runs the task here
	}
	if (engines.length === 0) {
		return {};
	}
	const picked = await vscode.window.showQuickPick([
		{ label: '$(device-desktop) This machine', description: 'in the workspace or its own worktree', fields: {} },
		...engines.map(({ title, swarm }) => swarm
			? { label: `$(server-environment) Jobs on the swarm ${title}`, description: 'its sub-tasks run as jobs on the swarm\'s nodes', fields: { runs: 'container', engine: title } }
			: { label: `$(vm) A container on ${title}`, description: 'its tools run in a container there', fields: { runs: 'container', engine: title } }),
	], { title: 'Run Task: Where', placeHolder: 'Where should the task\'s tools run?' });
	return picked?.fields;
}
