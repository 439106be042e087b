import * as vscode from 'vscode';
import { describeRequestError } from './requestErrors';

let s_lastError: string | undefined;

/**
 * Shows "Could not <action>: …" without waiting for the toast to close; a validation error names each field by
 * its label from `labels`.
 */
export function showCommandError(action: string, error: unknown, labels?: Readonly<Record<string, string>>): void {
	s_lastError = describeRequestError(action, error, labels);
	void vscode.window.showErrorMessage(s_lastError);
}

/** The last error `showCommandError` showed (the integration tests read it through the PlueApi). */
export function lastCommandError(): string | undefined {
	return s_lastError;
}
