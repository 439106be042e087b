// Plue's entry under the integration suites (runInCodeServer.mjs loads the extension with `main` here): Plue as it
// starts, and the PlueApi the suites read through `activate`'s result.
import type * as vscode from 'vscode';
import { Plue, startPlue } from '../../../extension/src/plue';
import { PlueApi, plueApi } from './plueApi';

let plue: Plue | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<PlueApi> {
	plue = await startPlue(context);
	return plueApi(plue, context);
}

export async function deactivate(): Promise<void> {
	await plue?.sidecar.stop();
}
