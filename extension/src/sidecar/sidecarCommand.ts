import * as fs from 'node:fs';
import * as path from 'node:path';

/** How to launch the sidecar: a program and its arguments. */
export interface SidecarCommand {
	command: string;
	args: string[];
	/** Where the command came from, for the output channel. */
	source: SidecarSource;
}

export type SidecarSource = 'setting' | 'packaged' | 'development';

/** A sidecar found: an executable (self-contained, run as is) or a plue.dll that needs a .NET 10 runtime. */
export interface SidecarFile {
	file: string;
	source: SidecarSource;
	needsDotnet: boolean;
}

/**
 * Finds the sidecar to run: the `plue.sidecar.path` setting, else the one in the
 * VSIX (a platform VSIX's self-contained `plue` first, then a universal VSIX's
 * plue.dll), else the newest development build in server/bin. Returns an error
 * message instead when none exists.
 */
export function locateSidecar(extensionPath: string, configuredPath: string): SidecarFile | string {
	const configured = configuredPath.trim();
	if (configured !== '') {
		return { file: configured, source: 'setting', needsDotnet: isDll(configured) };
	}
	const packaged = path.join(extensionPath, 'dist', 'sidecar');
	const executable = path.join(packaged, process.platform === 'win32' ? 'plue.exe' : 'plue');
	if (isExecutable(executable)) {
		return { file: executable, source: 'packaged', needsDotnet: false };
	}
	const dll = path.join(packaged, 'plue.dll');
	if (fs.existsSync(dll)) {
		return { file: dll, source: 'packaged', needsDotnet: true };
	}
	const builds = ['Debug', 'Release']
		.map(config => path.join(extensionPath, 'server', 'bin', config, 'net10.0', 'plue.dll'))
		.filter(file => fs.existsSync(file))
		.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
	if (builds.length > 0) {
		return { file: builds[0], source: 'development', needsDotnet: true };
	}
	return `No Plue sidecar found: set "plue.sidecar.path", or build it with "dotnet build server/Plue.Server.csproj".`;
}

/** The command that runs `sidecar`, given the `dotnet` to run a plue.dll with. */
export function sidecarCommand(sidecar: SidecarFile, dotnet: string | undefined): SidecarCommand {
	return sidecar.needsDotnet && dotnet
		? { command: dotnet, args: [sidecar.file], source: sidecar.source }
		: { command: sidecar.file, args: [], source: sidecar.source };
}

function isDll(file: string): boolean {
	return file.toLowerCase().endsWith('.dll');
}

export function isExecutable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}
