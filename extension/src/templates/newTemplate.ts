import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { Sidecar } from '../sidecar/sidecar';

/** The answers "Plue: New Template" asks for, given up front by tests and other commands. */
export interface NewTemplateOptions {
	/** The id of the template to start from. */
	from?: string;
	/** The new template's id; the same id as `from` overrides it. */
	id?: string;
	/** home: PLUE_HOME/templates; workspace: the first folder's .plue/templates. */
	where?: 'home' | 'workspace';
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Copies a template file (shipped or the user's) into the user's or the workspace's templates folder under a
 * new id, and opens it: the sidecar loads it on save, and its problems show while it is edited.
 */
export async function newTemplate(sidecar: Sidecar, folders: () => Promise<string[]>, options: NewTemplateOptions = {}): Promise<string | undefined> {
	const usable = (await sidecar.request('templates/list')).filter(t => t.usable);
	const from = options.from ?? (await vscode.window.showQuickPick(
		usable.map(t => ({ label: t.name, description: `${t.id} · ${t.source}`, detail: t.description, id: t.id })),
		{ title: 'New Template (1/3): start from', placeHolder: 'The template to copy', matchOnDescription: true },
	))?.id;
	const source = usable.find(t => t.id === from);
	if (!source) {
		return undefined;
	}
	const id = options.id ?? await vscode.window.showInputBox({
		title: 'New Template (2/3): its id',
		prompt: `Lower-case letters, digits and '-'; it names the file. Keep "${source.id}" to replace that template with yours.`,
		value: `${source.id}-custom`,
		validateInput: value => ID_PATTERN.test(value) ? undefined : "Use lower-case letters, digits and '-', starting with a letter or digit",
	});
	if (!id || !ID_PATTERN.test(id)) {
		return undefined;
	}
	const [home, workspace] = await folders();
	const where = options.where ?? (workspace === undefined ? 'home' : (await vscode.window.showQuickPick([
		{ label: 'Your templates', description: home, where: 'home' as const },
		{ label: 'This workspace', description: workspace, detail: 'Used only when the workspace is trusted', where: 'workspace' as const },
	], { title: 'New Template (3/3): where' }))?.where);
	const dir = where === 'workspace' ? workspace : where === 'home' ? home : undefined;
	if (!dir) {
		return undefined;
	}
	const target = path.join(dir, `${id}.json5`);
	if (fs.existsSync(target)) {
		const open = await vscode.window.showErrorMessage(`A template file ${id}.json5 exists already in ${where === 'workspace' ? 'this workspace' : 'your templates'}; choose another id or edit that one.`, 'Open It');
		if (open) {
			await vscode.window.showTextDocument(vscode.Uri.file(target));
		}
		return undefined;
	}
	const text = fs.readFileSync(source.file, 'utf8').replace(/(\bid\s*:\s*)(["'])[a-z0-9-]+\2/, `$1"${id}"`);
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(target, text);
	await vscode.window.showTextDocument(vscode.Uri.file(target));
	return target;
}
