import * as vscode from 'vscode';
import { startPlue } from './plue';
import type { Sidecar } from './sidecar/sidecar';

let sidecar: Sidecar | undefined;

/**
 * Exports nothing: any other extension could drive the sidecar through what it returned (point a provider's endpoint
 * elsewhere, and its key follows). The integration suites load their own entry (tests/extension/host) instead.
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
	sidecar = (await startPlue(context)).sidecar;
}

export async function deactivate(): Promise<void> {
	await sidecar?.stop();
}
