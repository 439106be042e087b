import * as vscode from 'vscode';
import { describeRequestError } from '../requestErrors';
import { mcpFieldLabels } from './mcpServer';

let s_lastError: string | undefined;

/** Shows "Could not <action>: …" (validation errors by field label) without waiting for the toast to close. */
export function showMcpError(action: string, error: unknown): void {
	s_lastError = describeRequestError(action, error, mcpFieldLabels);
	void vscode.window.showErrorMessage(s_lastError);
}

/** The last error an MCP server command showed (the integration tests read it through the PlueApi). */
export function lastMcpError(): string | undefined {
	return s_lastError;
}
