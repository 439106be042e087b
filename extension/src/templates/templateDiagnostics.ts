import * as path from 'path';
import * as vscode from 'vscode';
import { TemplateDiagnostic } from '../shared/protocol';
import { Sidecar } from '../sidecar/sidecar';
import { errorText } from '../shared/errorText';

/** How long typing must pause before the text is checked again. */
const TYPING_PAUSE_MS = 300;

/**
 * The sidecar's template problems as diagnostics (editor squiggles and the Problems view): an open template
 * file is checked as it is typed (`templates/validate`, unsaved text), every other template file from
 * `templates/list` at start and whenever the files reload (`templates/changed`); and the catalog files that cannot
 * load (`catalog/problems`), read again when a catalog record changes.
 */
export class TemplateDiagnostics implements vscode.Disposable {
	private readonly _collection = vscode.languages.createDiagnosticCollection('plue-templates');
	private readonly _timers = new Map<string, NodeJS.Timeout>();
	private readonly _subscriptions: vscode.Disposable[] = [];
	private _home: string | undefined;

	constructor(private readonly _sidecar: Sidecar, private readonly _log: vscode.LogOutputChannel) {
		this._subscriptions.push(
			this._collection,
			_sidecar.onDidStart(() => void this.refresh()),
			_sidecar.onNotification('templates/changed', () => void this.refresh()),
			// A catalog file a record wrote over is no longer broken.
			_sidecar.onNotification('codex/changed', change => change.kind === 'catalog' ? void this.refresh() : undefined),
			vscode.workspace.onDidOpenTextDocument(doc => this.schedule(doc)),
			vscode.workspace.onDidChangeTextDocument(e => this.schedule(e.document)),
			// A closed file shows its saved state's problems again.
			vscode.workspace.onDidCloseTextDocument(doc => isTemplateFile(doc) ? void this.refresh() : undefined),
		);
	}

	/** Where the user's templates live: PLUE_HOME/templates and each folder's .plue/templates. */
	async folders(): Promise<string[]> {
		this._home ??= (await this._sidecar.status()).plueHome;
		const workspace = (vscode.workspace.workspaceFolders ?? []).map(f => path.join(f.uri.fsPath, '.plue', 'templates'));
		return [path.join(this._home, 'templates'), ...workspace];
	}

	/** Every template file's problems from the loaded set; open files are checked as they stand. */
	async refresh(): Promise<void> {
		try {
			const files = await this._sidecar.request('templates/list');
			const open = new Set(vscode.workspace.textDocuments.map(d => d.uri.fsPath));
			this._collection.clear();
			for (const file of files) {
				if (!open.has(file.file) && file.diagnostics.length > 0) {
					this._collection.set(vscode.Uri.file(file.file), file.diagnostics.map(toDiagnostic));
				}
			}
			await this.showCatalogProblems();
			await Promise.all(vscode.workspace.textDocuments.map(doc => this.check(doc)));
		} catch (e) {
			this._log.warn(`Template problems could not be read: ${errorText(e)}`);
		}
	}

	/** Catalog files that could not be loaded, beside the templates' problems: each at its line, in the Problems view. */
	private async showCatalogProblems(): Promise<void> {
		const byFile = new Map<string, TemplateDiagnostic[]>();
		for (const problem of await this._sidecar.request('catalog/problems')) {
			byFile.set(problem.file, [...byFile.get(problem.file) ?? [], problem]);
		}
		for (const [file, problems] of byFile) {
			this._collection.set(vscode.Uri.file(file), problems.map(catalogDiagnostic));
		}
	}

	private schedule(doc: vscode.TextDocument): void {
		if (!isTemplateFile(doc)) {
			return;
		}
		const key = doc.uri.toString();
		clearTimeout(this._timers.get(key));
		this._timers.set(key, setTimeout(() => {
			this._timers.delete(key);
			void this.check(doc);
		}, TYPING_PAUSE_MS));
	}

	private async check(doc: vscode.TextDocument): Promise<void> {
		if (!isTemplateFile(doc) || doc.isClosed || !(await this.inTemplateFolder(doc.uri.fsPath))) {
			return;
		}
		try {
			const result = await this._sidecar.request('templates/validate', { file: doc.uri.fsPath, text: doc.getText() });
			this._collection.set(doc.uri, result.diagnostics.filter(d => d.file === doc.uri.fsPath).map(toDiagnostic));
		} catch (e) {
			this._log.warn(`Template ${doc.uri.fsPath} could not be checked: ${errorText(e)}`);
		}
	}

	private async inTemplateFolder(file: string): Promise<boolean> {
		return (await this.folders()).includes(path.dirname(file));
	}

	dispose(): void {
		for (const timer of this._timers.values()) {
			clearTimeout(timer);
		}
		vscode.Disposable.from(...this._subscriptions).dispose();
	}
}

function isTemplateFile(doc: vscode.TextDocument): boolean {
	return doc.uri.scheme === 'file' && doc.uri.fsPath.endsWith('.json5') && path.basename(path.dirname(doc.uri.fsPath)) === 'templates';
}

/** The sidecar's positions are 1-based; a diagnostic marks from there to the end of the word. */
function catalogDiagnostic(d: TemplateDiagnostic): vscode.Diagnostic {
	const diagnostic = toDiagnostic(d);
	diagnostic.source = 'Plue catalog';
	return diagnostic;
}

function toDiagnostic(d: TemplateDiagnostic): vscode.Diagnostic {
	const start = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
	const diagnostic = new vscode.Diagnostic(
		new vscode.Range(start, start.translate(0, 1)),
		d.message,
		d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error,
	);
	diagnostic.source = 'Plue templates';
	return diagnostic;
}
