import * as vscode from 'vscode';
import type { CustomizationItem } from '../shared/protocol';
import type { KindSettings } from '../settings/kindSettings';
import type { Sidecar } from '../sidecar/sidecar';
import { showError } from '../sidecar/commandErrors';
import { CustomizationRow, CustomizationsTree } from './customizationsTree';

/**
 * The Customizations view and its commands: Open File, Copy to Plue (a found file made into a record, whose form then
 * opens), Edit (a record's form), Refresh, and Trust this workspace (VS Code's Workspace Trust editor).
 */
export function registerCustomizations(sidecar: Sidecar, tree: CustomizationsTree): vscode.Disposable {
	return vscode.Disposable.from(
		vscode.window.createTreeView('plue.customizations', { treeDataProvider: tree, showCollapseAll: true }),
		vscode.commands.registerCommand('plue.customizations.refresh', () => tree.refresh()),
		vscode.commands.registerCommand('plue.customizations.trust', () => vscode.commands.executeCommand('workbench.trust.manage')),
		vscode.commands.registerCommand('plue.customizations.openFile', async (row?: CustomizationRow) => {
			const item = itemOf(row);
			if (item && item.recordId === undefined) {
				await vscode.window.showTextDocument(vscode.Uri.file(item.source), { preview: true });
			}
		}),
		vscode.commands.registerCommand('plue.customizations.edit', (row?: CustomizationRow) => {
			const id = itemOf(row)?.recordId;
			return id ? vscode.commands.executeCommand('plue.settings.openRecord', id) : undefined;
		}),
		vscode.commands.registerCommand('plue.customizations.copy', async (row?: CustomizationRow) => {
			const item = itemOf(row);
			if (!item || item.recordId !== undefined) {
				return undefined;
			}
			try {
				const record = await sidecar.request('customizations/copy', { source: item.source, name: item.kind === 'agentHook' ? item.name : undefined });
				await vscode.commands.executeCommand('plue.settings.openRecord', record.id);
				return record.id;
			} catch (error) {
				showError(`copy "${item.name}" to Plue`, error);
				return undefined;
			}
		}),
	);
}

function itemOf(row: CustomizationRow | undefined): CustomizationItem | undefined {
	return row?.row === 'item' ? row.item : undefined;
}

const recordNote = 'Used like the found files of its kind, and before them: it wins its name over a file of the same name (the Customizations view shows the file as shadowed).';

/** The customization kinds in the settings room: each form says how its record is used. */
export const customizationSettings: ReadonlyArray<readonly [string, KindSettings]> = [
	['instruction', { note: `An instruction joins a chat's instructions: always, or when a file it applies to is in play. ${recordNote}` }],
	['skill', { note: `The model sees the skill's name (its slug) and description, and loads its instructions with the skill tool. ${recordNote}` }],
	['command', { note: `Typed as /<slug> in a chat's composer, with its arguments put in. ${recordNote}` }],
	['agent', { note: `A chat mode (agent:<slug>) and a sub-agent an orchestrator starts by name. ${recordNote}` }],
	['agent-hook', { note: 'A command run at an agent\'s event, given the event as JSON on its input; exit 2 blocks. Not a template\'s automation hook.' }],
];
