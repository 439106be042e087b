import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isExecutable } from './sidecarCommand';
import { errorText } from '../shared/errorText';

/** The .NET Install Tool: installs runtimes privately, for the extensions that ask (`dotnet.acquire`). */
export const installToolId = 'ms-dotnettools.vscode-dotnet-runtime';
const extensionId = 'plue.plue-vscode';
const downloadUrl = 'https://dotnet.microsoft.com/download/dotnet/10.0';

/** Why a plue.dll cannot run here, and what the user can do about it. */
export const missingDotnetMessage =
	'The Plue sidecar needs the .NET 10 runtime, and none was found (no "dotnet" with .NET 10 on PATH or in DOTNET_ROOT). ' +
	'Install the .NET Install Tool extension and Plue gets the runtime itself, or install .NET 10 and restart the sidecar.';

/**
 * A `dotnet` that can run the framework-dependent sidecar (one with the .NET 10
 * runtime): on PATH or in DOTNET_ROOT, else one the .NET Install Tool acquires
 * (it downloads the runtime once, into its own folder, with a progress toast).
 * Undefined when neither has one.
 */
export async function findDotnet(log: vscode.LogOutputChannel): Promise<string | undefined> {
	for (const candidate of dotnetCandidates()) {
		if (await hasRuntime10(candidate)) {
			return candidate;
		}
		log.info(`${candidate} has no .NET 10 runtime.`);
	}
	if (!vscode.extensions.getExtension(installToolId)) {
		return undefined;
	}
	log.info('Asking the .NET Install Tool for the .NET 10 runtime.');
	try {
		const result = await vscode.commands.executeCommand<{ dotnetPath?: string } | undefined>('dotnet.acquire', {
			version: '10.0',
			requestingExtensionId: extensionId,
		});
		return result?.dotnetPath;
	} catch (error) {
		log.error(`The .NET Install Tool could not acquire .NET 10: ${errorText(error)}`);
		return undefined;
	}
}

/** Tells the user what to install, with a button for each way; `retry` restarts the sidecar once the tool is in. */
export async function offerDotnet(retry: () => void): Promise<void> {
	const install = 'Install .NET Install Tool';
	const download = 'Download .NET 10';
	const choice = await vscode.window.showErrorMessage(missingDotnetMessage, install, download);
	if (choice === install) {
		await vscode.commands.executeCommand('workbench.extensions.installExtension', installToolId);
		retry();
	} else if (choice === download) {
		await vscode.env.openExternal(vscode.Uri.parse(downloadUrl));
	}
}

function dotnetCandidates(): string[] {
	const program = process.platform === 'win32' ? 'dotnet.exe' : 'dotnet';
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(dir => dir !== '');
	// DOTNET_ROOT is where installers without a PATH entry put dotnet.
	if (process.env.DOTNET_ROOT) {
		dirs.push(process.env.DOTNET_ROOT);
	}
	return [...new Set(dirs.map(dir => path.join(dir, program)))].filter(isExecutable);
}

function hasRuntime10(dotnet: string): Promise<boolean> {
	return new Promise(resolve => {
		execFile(dotnet, ['--list-runtimes'], { timeout: 10_000, windowsHide: true }, (error, stdout) => {
			resolve(!error && /^Microsoft\.NETCore\.App 10\./m.test(stdout));
		});
	});
}
