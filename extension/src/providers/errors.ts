import * as vscode from 'vscode';

export function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Shows "Could not <action>: <reason>" without waiting for the toast to close. */
export function showError(action: string, error: unknown): void {
	void vscode.window.showErrorMessage(`Could not ${action}: ${errorMessage(error)}`);
}
