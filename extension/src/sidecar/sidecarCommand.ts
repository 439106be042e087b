import * as fs from 'node:fs';
import * as path from 'node:path';

/** How to launch the sidecar: a program and its arguments. */
export interface SidecarCommand {
	command: string;
	args: string[];
	/** Where the command came from, for the output channel. */
	source: 'setting' | 'packaged' | 'development';
}

/**
 * Resolves the sidecar to run: the `plue.sidecar.path` setting, else the
 * sidecar packaged in the VSIX, else the newest development build in server/bin.
 * Returns an error message instead when none exists.
 */
export function resolveSidecarCommand(extensionPath: string, configuredPath: string): SidecarCommand | string {
	if (configuredPath.trim() !== '') {
		return fromPath(configuredPath.trim(), 'setting');
	}
	const packaged = path.join(extensionPath, 'dist', 'sidecar', 'plue.dll');
	if (fs.existsSync(packaged)) {
		return fromPath(packaged, 'packaged');
	}
	const builds = ['Debug', 'Release']
		.map(config => path.join(extensionPath, 'server', 'bin', config, 'net10.0', 'plue.dll'))
		.filter(dll => fs.existsSync(dll))
		.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
	if (builds.length > 0) {
		return fromPath(builds[0], 'development');
	}
	return `No Plue sidecar found: set "plue.sidecar.path", or build it with "dotnet build server/Plue.Server.csproj".`;
}

function fromPath(file: string, source: SidecarCommand['source']): SidecarCommand | string {
	if (!file.toLowerCase().endsWith('.dll')) {
		return { command: file, args: [], source };
	}
	const dotnet = findOnPath(process.platform === 'win32' ? 'dotnet.exe' : 'dotnet');
	if (!dotnet) {
		return `The Plue sidecar needs the .NET 10 runtime: "dotnet" is not on PATH.`;
	}
	return { command: dotnet, args: [file], source };
}

function findOnPath(program: string): string | undefined {
	const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(dir => dir !== '');
	// DOTNET_ROOT is where installers without a PATH entry put dotnet.
	if (process.env.DOTNET_ROOT) {
		dirs.push(process.env.DOTNET_ROOT);
	}
	return dirs.map(dir => path.join(dir, program)).find(candidate => isExecutable(candidate));
}

function isExecutable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}
