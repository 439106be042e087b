import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { JsonObject } from '../shared/protocol';

/**
 * Run Task's "where": this machine, or a container on one of the Docker engines the user added, as the task's `runs`
 * and `engine` fields. Asked only when an engine is added (else it runs here, as before); undefined when cancelled.
 */
export async function pickPlace(sidecar: Sidecar): Promise<JsonObject | undefined> {
	let engines: string[];
	try {
		engines = (await sidecar.request('codex/list', { templateId: 'docker-engine', sort: 'titleAsc', limit: 200 })).items.map(e => e.title);
	} catch {
		return {};  // a sidecar that cannot list engines runs the task here
	}
	if (engines.length === 0) {
		return {};
	}
	const picked = await vscode.window.showQuickPick([
		{ label: '$(device-desktop) This machine', description: 'in the workspace or its own worktree', fields: {} },
		...engines.map(engine => ({ label: `$(vm) A container on ${engine}`, description: 'its tools run in a container there', fields: { runs: 'container', engine } })),
	], { title: 'Run Task: Where', placeHolder: 'Where should the task\'s tools run?' });
	return picked?.fields;
}
