import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { showError } from '../sidecar/commandErrors';
import { showFileSaved } from '../sidecar/fileNotices';
import type { Sidecar } from '../sidecar/sidecar';
import type { KindSettings } from '../settings/kindSettings';
import type { ProviderInstance } from '../shared/protocol';

/** The template whose records are custom catalogs (templates/catalog.json5): the catalog is the providers' feature. */
const catalogTemplate = 'catalog';

/**
 * "Plue: Import Catalog File…", "Plue: Export Catalog File…" and "Plue: Delete Catalog…": a provider file in Plue's
 * catalog format or Catwalk's becomes a custom catalog record (offered by Add Provider at once), a record goes out as
 * either, and one goes (after a question; its history's Undo brings it back).
 */
export function registerCatalogFiles(sidecar: Sidecar): vscode.Disposable {
	return vscode.Disposable.from(
		vscode.commands.registerCommand('plue.catalogs.import', (file?: vscode.Uri) => importCatalog(sidecar, file)),
		vscode.commands.registerCommand('plue.catalogs.export', (id?: string, target?: vscode.Uri, format?: string) => exportCatalog(sidecar, id, target, format)),
		vscode.commands.registerCommand('plue.catalogs.delete', (arg?: string | ProviderInstance, options?: { confirmed?: boolean }) => deleteCatalog(sidecar, arg, options?.confirmed === true)),
	);
}

/** A custom catalog's form offers Delete Catalog… beside History and Undo. */
export const catalogSettings: readonly [string, KindSettings] = [catalogTemplate, {
	actions: [{ command: 'plue.catalogs.delete', label: 'Delete Catalog…', icon: 'trash', title: 'Delete this custom catalog (asks first; Undo brings it back)' }],
}];

/** Imports a file (asked when not given); returns the new record's id. */
async function importCatalog(sidecar: Sidecar, file?: vscode.Uri): Promise<string | undefined> {
	file ??= (await vscode.window.showOpenDialog({
		canSelectMany: false,
		openLabel: 'Import',
		title: 'Import a catalog file (Plue\'s catalog format or a Catwalk provider file)',
		filters: { 'Catalog files': ['json'] },
	}))?.[0];
	if (!file) {
		return undefined;
	}
	try {
		const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
		const record = await sidecar.request('catalog/import', { text, fileName: file.fsPath });
		await vscode.commands.executeCommand('plue.settings.openRecord', record.id);
		void vscode.window.showInformationMessage(`Imported ${record.title}: Add Provider offers it now.`);
		return record.id;
	} catch (error) {
		showError(`import ${path.basename(file.fsPath)}`, error);
		return undefined;
	}
}

/** Exports a custom catalog (asked when not given) in the format asked, to the file asked; returns where. */
async function exportCatalog(sidecar: Sidecar, id?: string, target?: vscode.Uri, format?: string): Promise<string | undefined> {
	try {
		id ??= await pickCatalog(sidecar);
		if (!id) {
			return undefined;
		}
		format ??= (await vscode.window.showQuickPick([
			{ label: 'Plue catalog format', description: 'for $PLUE_HOME/catalog or another Plue', format: 'plue' },
			{ label: 'Catwalk provider file', description: 'for tools that read Catwalk\'s schema', format: 'catwalk' },
		], { title: 'Export Catalog File', placeHolder: 'Which format' }))?.format;
		if (!format) {
			return undefined;
		}
		const file = await sidecar.request('catalog/export', { id, format });
		target ??= await vscode.window.showSaveDialog({
			defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()), file.fileName),
			filters: { 'Catalog files': ['json'] },
			saveLabel: 'Export',
		});
		if (!target) {
			return undefined;
		}
		await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(file.text));
		void showFileSaved('Exported', target);
		return target.fsPath;
	} catch (error) {
		showError('export the catalog', error);
		return undefined;
	}
}

/**
 * Deletes a custom catalog (its record id, or a Providers row whose instance uses one; asked when not given) after a
 * modal question naming the instances that use it (`confirmed`, for scripts, skips it); returns whether it went.
 */
async function deleteCatalog(sidecar: Sidecar, arg: string | ProviderInstance | undefined, confirmed: boolean): Promise<boolean> {
	try {
		const id = typeof arg === 'object' ? await catalogOf(sidecar, arg) : arg ?? await pickCatalog(sidecar, 'Delete Catalog');
		if (!id) {
			return false;
		}
		const record = await sidecar.request('codex/get', { id });
		const providerId = typeof record.fields.provider_id === 'string' ? record.fields.provider_id : '';
		if (!confirmed) {
			const users = (await sidecar.request('instances/list')).filter(i => !i.fromEnvironment && i.catalogProviderId === providerId).map(i => i.displayName);
			const choice = await vscode.window.showWarningMessage(`Delete the custom catalog ${record.title}?`, {
				modal: true,
				detail: `${catalogUsers(providerId, users)} Undo, in Plue: Open Settings, brings it back.`,
			}, 'Delete');
			if (choice !== 'Delete') {
				return false;
			}
		}
		const result = await sidecar.request('catalog/delete', { id: providerId });
		void vscode.window.showInformationMessage(`Deleted the custom catalog ${record.title}${result.restored ? `: the shipped ${result.restored.name} is offered again` : ''}.`);
		return true;
	} catch (error) {
		showError('delete the catalog', error);
		return false;
	}
}

/** What a catalog's deletion takes away, naming the provider instances that use it. */
export function catalogUsers(providerId: string, users: readonly string[]): string {
	const offered = `Add Provider no longer offers ${providerId || 'it'}`;
	if (users.length === 0) {
		return `${offered}; no provider instance uses it.`;
	}
	const names = users.length === 1 ? users[0] : `${users.slice(0, -1).join(', ')} and ${users.at(-1)}`;
	return `${offered}, and ${names} ${users.length === 1 ? 'uses' : 'use'} it: ${users.length === 1 ? 'it stops' : 'they stop'} working until it is back.`;
}

/** The custom catalog record an instance's provider comes from; says so when it is a shipped one. */
async function catalogOf(sidecar: Sidecar, instance: ProviderInstance): Promise<string | undefined> {
	const page = await sidecar.request('codex/list', { templateId: catalogTemplate, sort: 'titleAsc', limit: 1000 });
	const record = page.items.find(r => r.fields.provider_id === instance.catalogProviderId);
	if (!record) {
		void vscode.window.showInformationMessage(`${instance.displayName} uses the shipped provider ${instance.catalogProviderId}, not a custom catalog: there is no catalog of yours to delete.`);
	}
	return record?.id;
}

async function pickCatalog(sidecar: Sidecar, title = 'Export Catalog File'): Promise<string | undefined> {
	const page = await sidecar.request('codex/list', { templateId: catalogTemplate, sort: 'titleAsc', limit: 1000 });
	if (page.items.length === 0) {
		void vscode.window.showInformationMessage('There is no custom catalog yet: make one in Plue: Open Settings (Custom catalog, New), or import a file.');
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(
		page.items.map(r => ({ label: r.title, description: typeof r.fields.provider_id === 'string' ? r.fields.provider_id : '', id: r.id })),
		{ title, placeHolder: 'Which custom catalog' });
	return picked?.id;
}
