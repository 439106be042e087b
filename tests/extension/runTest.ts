/**
 * Runs the integration suite in VS Code desktop with @vscode/test-electron
 * (downloads VS Code; for contributors with internet). CI here uses
 * runInCodeServer.mjs instead. Run after `npm run build`: node out/test/runTest.js
 * As there, Plue loads through its test entry (tests/extension/host), which returns the PlueApi.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
	const extensionTestsPath = path.resolve(__dirname, 'suite/index.js');
	const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'plue-electron-'));
	const workspace = path.join(scratch, 'workspace');
	fs.mkdirSync(workspace);
	// Plue's test entry with a copy of its manifest (tests/extension/host/build.mjs, run by `npm run build`).
	const extensionDevelopmentPath = path.resolve(__dirname, 'host');
	try {
		await runTests({
			extensionDevelopmentPath,
			extensionTestsPath,
			launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'data')],
			extensionTestsEnv: { PLUE_HOME: path.join(scratch, 'plue-home'), PLUE_TEST_RESULTS: path.join(scratch, 'results.json') },
		});
	} finally {
		fs.rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error('Integration tests failed:', error);
	process.exit(1);
});
