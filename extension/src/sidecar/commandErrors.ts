import * as vscode from 'vscode';
import { describeRequestError } from './requestErrors';

/**
 * Shows "Could not <action>: …" without waiting for the toast to close; a validation error names each field by
 * its label from `labels`.
 */
export function showCommandError(action: string, error: unknown, labels?: Readonly<Record<string, string>>): void {
	void vscode.window.showErrorMessage(describeRequestError(action, error, labels));
}
