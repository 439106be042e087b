import * as vscode from 'vscode';
import { describeRequestError, SidecarNotRunning } from './requestErrors';

/** A button on a failure's toast: what the user can do next, and the command it runs. */
export interface NextStep {
	label: string;
	command: string;
	args?: unknown[];
}

/** What helps when the sidecar is not running. */
const restartSidecar: NextStep = { label: 'Restart Sidecar', command: 'plue.restartSidecar' };

/** Where failures' details go: Plue's output channel, given once by the composition root. */
let detailsLog: vscode.LogOutputChannel | undefined;

/** Sends the details of every failure `showError` tells to `log` (until disposed). */
export function logErrorDetails(log: vscode.LogOutputChannel): vscode.Disposable {
	detailsLog = log;
	return new vscode.Disposable(() => {
		if (detailsLog === log) {
			detailsLog = undefined;
		}
	});
}

/**
 * The one way a failure is told to the user: "Could not <action>: <reason>" in an error toast, not waited for (a
 * refused field named by its label from `labels`); the error's details (its code, its stack) in Plue's output channel;
 * and the buttons of `next`, each running its command (Restart Sidecar, too, when no sidecar runs).
 */
export function showError(action: string, error: unknown, options: { labels?: Readonly<Record<string, string>>; next?: readonly NextStep[] } = {}): void {
	const message = describeRequestError(action, error, options.labels);
	detailsLog?.error(`${message}${errorDetails(error)}`);
	const next = [...options.next ?? []];
	if (error instanceof SidecarNotRunning && !next.some(step => step.command === restartSidecar.command)) {
		next.push(restartSidecar);
	}
	void vscode.window.showErrorMessage(message, ...next.map(step => step.label)).then(choice => {
		const step = next.find(s => s.label === choice);
		if (step) {
			void vscode.commands.executeCommand(step.command, ...(step.args ?? []));
		}
	});
}

/** What the output channel adds to the toast's words: the sidecar's error code, or where a thrown error came from. */
function errorDetails(error: unknown): string {
	const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
	if (typeof code === 'number' || typeof code === 'string') {
		return ` (code ${code})`;
	}
	const stack = error instanceof Error ? error.stack : undefined;
	return stack?.includes('\n') ? `\n${stack.slice(stack.indexOf('\n') + 1)}` : '';
}
