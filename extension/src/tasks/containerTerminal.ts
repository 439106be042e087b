import * as vscode from 'vscode';
import type { Sidecar } from '../sidecar/sidecar';
import type { NextStep } from '../sidecar/commandErrors';
import type { AgentTask, CodexRecord } from '../shared/protocol';
import { errorText } from '../shared/errorText';

/**
 * "Open a Terminal in the Container": VS Code's terminal on a shell in the task's container, which the sidecar opens
 * through the task's engine (`engines/openTerminal`). The shell is opened before the terminal shows, so a refusal is a
 * toast with its fix, not an empty terminal; what it writes before the terminal opens is kept for it.
 */
export async function openContainerTerminal(sidecar: Sidecar, task: AgentTask): Promise<vscode.Terminal> {
	// The shell's first words (its prompt) may come before the answer that names the terminal: heard from the start.
	const early: { terminalId: string; data: string }[] = [];
	const listening = sidecar.onNotification('engines/terminalOutput', out => void early.push(out));
	let opened;
	try {
		opened = await sidecar.request('engines/openTerminal', { taskId: task.id, cols: 80, rows: 24 });
	} finally {
		listening.dispose();
	}
	const pty = new ContainerPty(sidecar, opened.terminalId, early.filter(out => out.terminalId === opened.terminalId).map(out => out.data));
	return vscode.window.createTerminal({
		name: `${task.title || task.slug} · ${opened.engine}`,
		iconPath: new vscode.ThemeIcon('vm'),
		pty,
	});
}

class ContainerPty implements vscode.Pseudoterminal {
	private readonly _write = new vscode.EventEmitter<string>();
	private readonly _close = new vscode.EventEmitter<number | void>();
	readonly onDidWrite = this._write.event;
	readonly onDidClose = this._close.event;
	/** Output that came before the terminal opened; undefined once it has. */
	private _early: string[] | undefined;
	private _closed = false;
	/** Typed and not yet sent, while a write is on its way. */
	private _input = '';
	private _writing = false;
	private readonly _subscriptions: vscode.Disposable[];

	constructor(private readonly _sidecar: Sidecar, private readonly _id: string, early: string[]) {
		this._early = early;
		this._subscriptions = [
			_sidecar.onNotification('engines/terminalOutput', out => out.terminalId === _id && this.show(out.data)),
			_sidecar.onNotification('engines/terminalClosed', closed => {
				if (closed.terminalId !== _id) {
					return;
				}
				if (closed.reason) {
					this.show(`\r\n${closed.reason}\r\n`);
				}
				this.end(closed.exitCode ?? undefined);
			}),
		];
	}

	open(dimensions: vscode.TerminalDimensions | undefined): void {
		const early = this._early ?? [];
		this._early = undefined;
		early.forEach(data => this._write.fire(data));
		if (dimensions) {
			this.setDimensions(dimensions);
		}
	}

	handleInput(data: string): void {
		this._input += data;
		if (!this._writing) {
			void this.writeInput();
		}
	}

	/**
	 * Sends what was typed one write at a time, each after the last is answered (what came meanwhile goes as one):
	 * the sidecar may answer requests in any order, and keys sent each as its own request arrived swapped when typed fast.
	 */
	private async writeInput(): Promise<void> {
		this._writing = true;
		try {
			while (this._input && !this._closed) {
				const data = this._input;
				this._input = '';
				await this.send(this._sidecar.request('engines/writeTerminal', { terminalId: this._id, data }));
			}
		} finally {
			this._writing = false;
		}
	}

	setDimensions(dimensions: vscode.TerminalDimensions): void {
		void this.send(this._sidecar.request('engines/resizeTerminal', { terminalId: this._id, cols: dimensions.columns, rows: dimensions.rows }));
	}

	/** The user closed the terminal: the sidecar ends the shell. */
	close(): void {
		if (!this._closed) {
			this._closed = true;
			void this.send(this._sidecar.request('engines/closeTerminal', { terminalId: this._id }));
		}
		for (const s of this._subscriptions) {
			s.dispose();
		}
	}

	private show(data: string): void {
		if (this._early) {
			this._early.push(data);
		} else {
			this._write.fire(data);
		}
	}

	private end(exitCode: number | undefined): void {
		this._closed = true;
		for (const s of this._subscriptions) {
			s.dispose();
		}
		this._close.fire(exitCode);
	}

	/** A write, resize or close: a terminal the sidecar says is closed ends here too. */
	private send(request: Promise<{ open: boolean }>): Promise<void> {
		return request.then(
			state => {
				if (!state.open && !this._closed) {
					this.end(undefined);
				}
			},
			(error: unknown) => this.show(`\r\nPlue: ${errorText(error)}\r\n`),
		);
	}
}

/**
 * What helps with an engine's failure (its `fix`, docs/CONTAINERS.md), as buttons on its toast: test the engine (its
 * line says what to do), or nothing for a missing image (the line names the command).
 */
export function engineSteps(error: unknown): NextStep[] {
	const data = typeof error === 'object' && error !== null ? (error as { data?: unknown }).data : undefined;
	const fix = typeof data === 'object' && data !== null ? (data as { fix?: unknown }).fix : undefined;
	const engine = typeof data === 'object' && data !== null ? (data as { engine?: unknown }).engine : undefined;
	return typeof fix === 'string' && fix !== 'image' ? [{ label: 'Test Engine', command: 'plue.testEngine', args: typeof engine === 'string' ? [engine] : [] }] : [];
}

/**
 * Tests an engine record (one named by id or name, or one the user picks) and says the result: its version and
 * architecture, or its one-line failure with a button to test it again.
 */
export async function testEngine(sidecar: Sidecar, name?: string): Promise<boolean | undefined> {
	const engines = (await sidecar.request('codex/list', { templateId: 'docker-engine', sort: 'titleAsc', limit: 200 })).items;
	if (engines.length === 0) {
		void vscode.window.showInformationMessage('Plue: no Docker engine is added yet. Add one here, or with `plue engines add Local`.', 'Add Docker Engine')
			.then(choice => choice && void vscode.commands.executeCommand('plue.addEngine'));
		return undefined;
	}
	const lower = name?.toLowerCase();
	const engine = engines.find(e => e.id === name || e.title.toLowerCase() === lower) ?? (name === undefined ? await pickEngine(engines) : undefined);
	if (!engine) {
		return undefined;
	}
	const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Testing ${engine.title}…` },
		() => sidecar.request('engines/test', { id: engine.id }));
	if (result.ok) {
		const mount = result.canMountWorkspace === true ? 'can mount the workspace' : result.canMountWorkspace === false ? 'cannot mount the workspace (its tasks get a copy)' : 'has no image to try a mount with';
		const swarm = result.swarm
			? `a swarm manager with ${result.swarm.readyNodes} of ${result.swarm.nodes} nodes ready (${result.swarm.architectures.join(', ')}), pulling from ${result.swarm.registry}, `
			: '';
		void vscode.window.showInformationMessage(`${engine.title} works: Docker ${result.version} (API ${result.apiVersion}), ${result.os}/${result.arch}, ${swarm}${mount}.`);
		return true;
	}
	void vscode.window.showErrorMessage(result.error ?? `${engine.title} does not work.`, 'Test Again').then(choice => choice && void testEngine(sidecar, engine.id));
	return false;
}

async function pickEngine(engines: CodexRecord[]): Promise<CodexRecord | undefined> {
	const picked = await vscode.window.showQuickPick(engines.map(e => ({ label: e.title, record: e })), { title: 'Test Docker Engine', placeHolder: 'Which engine?' });
	return picked?.record;
}
