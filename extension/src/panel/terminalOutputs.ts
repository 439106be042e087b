import * as vscode from 'vscode';
import type { Attachment } from '../shared/protocol';
import { keepTail, terminalText } from './mentionText';

/** A command's output larger than this keeps its end (where the result and the errors are) and says so. */
export const maxOutputChars = 64 * 1024;

/** The last command a terminal ran, as shell integration reported it. */
interface Execution {
	readonly source: vscode.TerminalShellExecution;
	readonly terminal: vscode.Terminal;
	/** Raw output so far, its start dropped (and counted) once it holds twice what is kept. */
	raw: string;
	dropped: number;
	exitCode?: number;
	done: boolean;
}

/**
 * The last command of each terminal and its output, read through VS Code's shell integration
 * (`onDidStartTerminalShellExecution`): its output can only be read from the start of a command, so every command is
 * followed as it starts, and only the last one per terminal is kept.
 */
export class TerminalOutputs implements vscode.Disposable {
	private readonly _last = new Map<vscode.Terminal, Execution>();
	private readonly _subscriptions: vscode.Disposable[] = [
		vscode.window.onDidStartTerminalShellExecution(event => this.follow(event.terminal, event.execution)),
		vscode.window.onDidEndTerminalShellExecution(event => {
			const execution = this._last.get(event.terminal);
			if (execution?.source === event.execution) {
				execution.exitCode = event.exitCode;
				execution.done = true;
			}
		}),
		vscode.window.onDidCloseTerminal(terminal => this._last.delete(terminal)),
	];

	/** What the `@` menu says of the active terminal's last command ("npm test in bash"), or why there is none. */
	describe(): string {
		const execution = this.current();
		return execution ? `${execution.source.commandLine.value} in ${execution.terminal.name}` : 'no command run in a terminal yet';
	}

	/** The active terminal's last command, its exit code and its output (the end of it when long). */
	attachment(): Attachment {
		const execution = this.current();
		if (!execution) {
			throw new Error(vscode.window.terminals.length === 0
				? 'open a terminal and run a command first: there is no terminal output to mention.'
				: 'no command output was seen in the terminal: run the command again (Plue reads it through shell integration, "terminal.integrated.shellIntegration.enabled").');
		}
		const status = execution.done ? (execution.exitCode === undefined ? 'finished' : `exit code ${execution.exitCode}`) : 'still running';
		const output = keepTail(terminalText(execution.raw).trim(), maxOutputChars, 'the output', execution.dropped);
		return {
			kind: 'file',
			path: 'Terminal',
			content: `$ ${execution.source.commandLine.value}\n(${status}, in the terminal "${execution.terminal.name}")\n${output || noOutput(execution)}`,
			language: 'text',
		};
	}

	dispose(): void {
		for (const subscription of this._subscriptions) {
			subscription.dispose();
		}
		this._last.clear();
	}

	/** The active terminal's last command, else the last command of any terminal. */
	private current(): Execution | undefined {
		const active = vscode.window.activeTerminal;
		return (active && this._last.get(active)) ?? [...this._last.values()].at(-1);
	}

	private follow(terminal: vscode.Terminal, shellExecution: vscode.TerminalShellExecution): void {
		const execution: Execution = { source: shellExecution, terminal, raw: '', dropped: 0, done: false };
		// Re-inserted, so that the map's last entry is the terminal that ran a command last.
		this._last.delete(terminal);
		this._last.set(terminal, execution);
		void (async () => {
			for await (const data of shellExecution.read()) {
				execution.raw += data;
				if (execution.raw.length > 2 * maxOutputChars) {
					execution.dropped += execution.raw.length - maxOutputChars;
					execution.raw = execution.raw.slice(-maxOutputChars);
				}
			}
		})().catch(() => { /* the terminal went away while its output was read */ });
	}
}

/**
 * What an attachment says when nothing was read. VS Code sends the extension only the output that follows the start of a
 * command in a later chunk, so a command that prints at once can end with its output unseen: say so rather than claim
 * it printed nothing.
 */
function noOutput(execution: Execution): string {
	return execution.done
		? '(no output reached Plue: VS Code\'s shell integration can miss the output of a command that prints at once; paste it into the message if it matters)'
		: '(no output yet)';
}
