import * as vscode from 'vscode';

/**
 * The "Plue Trace" channel handed to the LanguageClient as its traceOutputChannel.
 *
 * vscode-languageclient 11 traces only when the channel's log level is Trace,
 * so this channel reports Trace exactly when `plue.trace.server` is not "off":
 * the setting alone switches tracing, as in other LSP clients. Every line goes
 * through `redact` because verbose traces include initialize's vault key.
 */
export class TraceChannel implements vscode.LogOutputChannel {
	private readonly _onDidChangeLogLevel = new vscode.EventEmitter<vscode.LogLevel>();
	readonly onDidChangeLogLevel = this._onDidChangeLogLevel.event;
	private readonly _disposables: vscode.Disposable[] = [];

	constructor(private readonly _target: vscode.LogOutputChannel, private readonly _redact: (text: string) => string) {
		this._disposables.push(this._onDidChangeLogLevel, vscode.workspace.onDidChangeConfiguration(e => {
			if (e.affectsConfiguration('plue.trace.server')) {
				this._onDidChangeLogLevel.fire(this.logLevel);
			}
		}));
	}

	get name(): string {
		return this._target.name;
	}

	get logLevel(): vscode.LogLevel {
		const setting = vscode.workspace.getConfiguration('plue').get<string>('trace.server', 'off');
		return setting === 'off' ? vscode.LogLevel.Info : vscode.LogLevel.Trace;
	}

	trace(message: string): void {
		this._target.info(this._redact(message));
	}

	debug(message: string): void {
		this._target.info(this._redact(message));
	}

	info(message: string): void {
		this._target.info(this._redact(message));
	}

	warn(message: string): void {
		this._target.warn(this._redact(message));
	}

	error(error: string | Error): void {
		this._target.error(this._redact(typeof error === 'string' ? error : error.stack ?? error.message));
	}

	append(value: string): void {
		this._target.append(this._redact(value));
	}

	appendLine(value: string): void {
		this._target.appendLine(this._redact(value));
	}

	replace(value: string): void {
		this._target.replace(this._redact(value));
	}

	clear(): void {
		this._target.clear();
	}

	show(columnOrPreserveFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void {
		if (typeof columnOrPreserveFocus === 'boolean') {
			this._target.show(columnOrPreserveFocus);
			return;
		}
		this._target.show(preserveFocus);
	}

	hide(): void {
		this._target.hide();
	}

	dispose(): void {
		for (const disposable of this._disposables) {
			disposable.dispose();
		}
		this._target.dispose();
	}
}
