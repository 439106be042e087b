import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { ClaudeCodeAuthResult } from '../../../extension/src/shared/protocol';
import { extensionId, within } from './support';

suite('Claude Code', () => {
	let api: PlueApi;

	suiteSetup(async () => {
		const extension = vscode.extensions.getExtension<PlueApi>(extensionId);
		assert.ok(extension, `${extensionId} is not installed in this host`);
		api = await extension.activate();
		await within(30_000, api.whenState('running'), 'the sidecar to run');
	});

	test('Check Claude Code Login reports what the sidecar found about the CLI', async () => {
		const commands = await vscode.commands.getCommands(true);
		assert.ok(commands.includes('plue.claudeCode.checkLogin'));
		const auth = await within(30_000, Promise.resolve(vscode.commands.executeCommand<ClaudeCodeAuthResult | undefined>('plue.claudeCode.checkLogin')), 'the check');
		assert.ok(auth, 'the command returned nothing');
		// Whatever this machine has, the answer is consistent: logged in only if installed, and a reason when not installed.
		assert.equal(typeof auth.installed, 'boolean');
		if (!auth.installed) {
			assert.equal(auth.loggedIn, false);
			assert.match(auth.error ?? '', /\S/);
		} else {
			assert.match(auth.version ?? '', /\d+\.\d+/);
		}
	});
});
