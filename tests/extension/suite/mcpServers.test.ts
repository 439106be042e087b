import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlueApi } from '../host/plueApi';
import type { McpServer } from '../../../extension/src/mcp/mcpServer';
import { activatePlue, enterUntilSettled, lastToast, mcpFixtureServer, quickInputMessage, quickInputs, readLogs, readTrace, toastsSettled, toastShown, until, within } from './support';

// The MCP Servers view and its commands against the real sidecar: records through codex/*, secrets through
// vault/*, tests through mcp/tools starting the real node MCP fixture. The commands take their answers as
// arguments here (the palette asks for each); tests/e2e drives the same questions through the UI.

const commands = [
	'plue.mcpServers.add', 'plue.mcpServers.edit', 'plue.mcpServers.remove', 'plue.mcpServers.enable',
	'plue.mcpServers.disable', 'plue.mcpServers.test', 'plue.mcpServers.refresh', 'plue.permissions.manage',
];
const secret = 'mcp-it-secret-Vb7Qz2Lk9Xw4';
const secondSecret = 'mcp-it-secret-second-Hn3Pt8';
const secretRef = 'vault://mcp/it-fixture.FIXTURE_SECRET';

interface TestReport { ok: boolean; tools: { name: string; agentName: string; description?: string | null }[]; error?: string }

suite('Plue MCP servers', () => {
	let api: PlueApi;
	let fixture: McpServer;

	suiteSetup(async () => {
		api = await activatePlue();
		// A verbose trace, so the last test can check the secrets never reached it.
		await vscode.workspace.getConfiguration('plue').update('trace.server', 'verbose', vscode.ConfigurationTarget.Global);
		await vscode.commands.executeCommand('plue.restartSidecar');
		await within(30_000, api.whenState('running'), 'the sidecar to run');
		await vscode.commands.executeCommand('plue.mcpServers.focus');
	});

	suiteTeardown(async () => {
		await vscode.workspace.getConfiguration('plue').update('trace.server', undefined, vscode.ConfigurationTarget.Global);
		// Later suites run tasks: an MCP server left behind would make Run Task ask which to grant.
		for (const server of await api.mcpServers.list().catch(() => [])) {
			await api.mcpServers.remove(server);
		}
	});

	async function row(id: string): Promise<vscode.TreeItem | undefined> {
		return (await api.mcpServerRows()).find(r => r.server.id === id)?.item;
	}

	function record(id: string): Promise<{ fields: Record<string, unknown>; version: number }> {
		assert.ok(api.client, 'no client');
		return api.client.sendRequest('codex/get', { id });
	}

	test('every MCP command is registered and declared in the Plue category, and the view is contributed', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		const manifest = vscode.extensions.getExtension('plue.plue-vscode')?.packageJSON as {
			contributes: { commands: { command: string; category: string }[]; views: { plue: { id: string }[] } };
		};
		for (const id of commands) {
			assert.ok(registered.has(id), `${id} is not registered`);
			assert.equal(manifest.contributes.commands.find(c => c.command === id)?.category, 'Plue', `${id} is not in the Plue category`);
		}
		assert.ok(manifest.contributes.views.plue.some(v => v.id === 'plue.mcpServers'));
	});

	test('Add MCP Server says the tool names as the name is typed, by the sidecar\'s slug rule: codex/create gives the same slug', async () => {
		const inputs = await quickInputs();
		const adding = vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.add');
		await inputs.shown('Add MCP Server\'s name step');
		// Dots and spaces: the sidecar's rule makes them '-' (its tool names and vault references join slugs with them).
		const shown = await quickInputMessage('db.prod 2', 'mcp__db-prod-2__');
		assert.match(shown, /mcp__db-prod-2__<tool>/, `the name step says: ${shown}`);
		const renamed = await quickInputMessage('GitHub Issues', 'mcp__github-issues__');
		assert.match(renamed, /mcp__github-issues__<tool>/, `the preview did not follow the typing: ${renamed}`);
		await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
		assert.equal(await within(10_000, Promise.resolve(adding), 'Add MCP Server to end'), undefined);

		// The door `plue` and scripts use makes the same slug of the same name.
		assert.ok(api.client, 'no client');
		const created = await api.client.sendRequest<{ id: string; slug: string }>('codex/create', { templateId: 'mcp-server', title: 'db.prod 2', fields: { command: 'node', args: [] } });
		try {
			assert.equal(created.slug, 'db-prod-2');
			// Taken now: the preview says the slug a new one would get, as the create would make it.
			assert.equal(await api.mcpServers.toolNames('db.prod 2'), 'mcp__db-prod-2-2__<tool>');
		} finally {
			await api.client.sendRequest('codex/delete', { id: created.id });
		}
	});

	test('Add MCP Server puts a secret variable in the vault and only its reference in the record, then tests the server', async () => {
		const added = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.add', {
			title: 'IT Fixture', command: 'node', args: [mcpFixtureServer],
			env: [{ name: 'FIXTURE_SECRET', value: secret, secret: true }, { name: 'PLAIN', value: 'visible-1', secret: false }],
		});
		assert.ok(added, `Add MCP Server returned nothing: ${lastToast()}`);
		fixture = added;
		assert.equal(fixture.slug, 'it-fixture');
		// The sidecar's view says of the secret that the vault holds it.
		assert.deepEqual(fixture.env, [{ name: 'FIXTURE_SECRET', value: secretRef, stored: true }, { name: 'PLAIN', value: 'visible-1' }]);
		assert.equal(await api.mcpServers.hasSecret(secretRef), true, 'the secret is not in the vault');

		const stored = await record(fixture.id);
		// Custom messages: a failing assertion must not print the record if it held the secret.
		assert.ok(!JSON.stringify(stored).includes(secret), 'the record holds the secret');
		assert.deepEqual(stored.fields.env, [`FIXTURE_SECRET=${secretRef}`, 'PLAIN=visible-1']);
		assert.equal(stored.fields.enabled, true);
		assert.equal(stored.fields.trusted, false);

		// Add tests the server it made: the row shows how that went.
		const item = await row(fixture.id);
		assert.ok(item, 'the new server is not in the MCP Servers view');
		assert.equal(item.label, 'IT Fixture');
		assert.equal(item.description, 'enabled · 5 tools');
		assert.equal(item.contextValue, 'plue.mcpServer.enabled');
		assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
		const tooltip = (item.tooltip as vscode.MarkdownString).value;
		assert.match(tooltip, /`FIXTURE_SECRET` \(secret, in the vault\)/);
		assert.ok(!tooltip.includes(secret), 'the tooltip shows the secret');
	});

	test('Test MCP Server starts the fixture and lists its five tools with their grant names', async () => {
		const report = await vscode.commands.executeCommand<TestReport | undefined>('plue.mcpServers.test', fixture.id);
		assert.ok(report, `Test MCP Server returned nothing: ${lastToast()}`);
		assert.equal(report.ok, true, report.error);
		assert.deepEqual(report.tools.map(t => t.agentName), ['mcp__it-fixture__echo', 'mcp__it-fixture__env', 'mcp__it-fixture__pid', 'mcp__it-fixture__fail', 'mcp__it-fixture__odd_name_']);
		assert.equal(report.tools[0].description, 'Returns its text.');
	});

	test('Disable and Enable change its row; a disabled server can still be tested', async () => {
		const rows = await api.mcpServerRows();
		// The tree passes its row (the server object) to context-menu commands.
		const disabled = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.disable', rows.find(r => r.server.id === fixture.id)?.server);
		assert.equal(disabled?.enabled, false);
		let item = await row(fixture.id);
		assert.match(String(item?.description), /^disabled/);
		assert.equal(item?.contextValue, 'plue.mcpServer.disabled');
		assert.equal((item?.iconPath as vscode.ThemeIcon).id, 'circle-slash');
		const report = await vscode.commands.executeCommand<TestReport | undefined>('plue.mcpServers.test', fixture.id);
		assert.equal(report?.ok, true, report?.error);

		const enabled = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.enable', fixture.id);
		assert.equal(enabled?.enabled, true);
		item = await row(fixture.id);
		assert.equal(item?.contextValue, 'plue.mcpServer.enabled');
	});

	test('Edit: a new secret value replaces the one in the vault; removing the variable deletes its secret; trust shows', async () => {
		const before = await record(fixture.id);
		const changed = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.edit', fixture.id,
			{ setEnv: { name: 'FIXTURE_SECRET', value: secondSecret, secret: true } });
		assert.ok(changed, lastToast());
		// The variable already points at its own vault entry: only the vault changes.
		assert.equal((await record(fixture.id)).version, before.version);
		assert.equal(await api.mcpServers.hasSecret(secretRef), true);

		const removed = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.edit', fixture.id, { removeEnv: 'FIXTURE_SECRET' });
		assert.deepEqual(removed?.env, [{ name: 'PLAIN', value: 'visible-1' }]);
		assert.equal(await api.mcpServers.hasSecret(secretRef), false, 'the removed variable\'s secret stayed in the vault');

		const restored = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.edit', fixture.id,
			{ setEnv: { name: 'FIXTURE_SECRET', value: secret, secret: true }, title: 'IT Fixture Server', trusted: true });
		assert.ok(restored, lastToast());
		assert.equal(restored.title, 'IT Fixture Server');
		assert.equal(restored.slug, 'it-fixture', 'a new name must not rename the tools');
		assert.deepEqual(restored.env.map(v => v.name), ['PLAIN', 'FIXTURE_SECRET']);
		assert.equal(await api.mcpServers.hasSecret(secretRef), true);
		const item = await row(fixture.id);
		assert.equal(item?.label, 'IT Fixture Server');
		assert.match(String(item?.description), /^enabled · trusted/);
		assert.equal((item?.iconPath as vscode.ThemeIcon).id, 'workspace-trusted');
	});

	test('a server the sidecar refuses is not made, its secret does not stay in the vault, and the error names the field', async () => {
		const shown = await toastsSettled();
		const refused = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.add', {
			title: 'IT Refused', command: 'node', args: [mcpFixtureServer],
			// Past the input box's own check, so the sidecar's template validation answers.
			env: [{ name: 'BAD-NAME', value: 'refused-secret-value', secret: true }],
		});
		assert.equal(refused, undefined);
		const toast = await toastShown(/^Could not add the MCP server\. The sidecar refused a field: Environment item 1 does not match the pattern/, shown);
		assert.equal(toast.severity, 'error');
		// Its details go to the "Plue" output channel: the same words, and the sidecar's error code.
		await within(10_000, until(() => readLogs(api.logPath).some(({ text }) => text.includes('Could not add the MCP server. The sidecar refused a field') && text.includes('(code -32602)'))), 'the refusal in the Plue log');
		assert.equal(await api.mcpServers.hasSecret('vault://mcp/it-refused.BAD-NAME'), false, 'the refused server\'s secret stayed in the vault');
		assert.ok(!(await api.mcpServers.list()).some(s => s.title === 'IT Refused'));
	});

	test('a server that cannot start fails its test with the reason, and its row says so', async () => {
		const ghost = await vscode.commands.executeCommand<McpServer | undefined>('plue.mcpServers.add', {
			title: 'IT Ghost', command: '/nonexistent/plue-it-no-such-server', args: [], env: [],
		});
		assert.ok(ghost, lastToast());
		const report = await vscode.commands.executeCommand<TestReport | undefined>('plue.mcpServers.test', ghost.id);
		assert.equal(report?.ok, false);
		assert.match(report?.error ?? '', /MCP server 'it-ghost' \(\/nonexistent\/plue-it-no-such-server\) did not start/);
		const item = await row(ghost.id);
		assert.equal(item?.description, 'enabled · failed its test');
		assert.equal((item?.iconPath as vscode.ThemeIcon).id, 'error');
		assert.match((item?.tooltip as vscode.MarkdownString).value, /Last test failed: /);
		assert.equal(await vscode.commands.executeCommand('plue.mcpServers.remove', ghost.id, { confirmed: true }), true);
	});

	test('Remove MCP Server (picked from the list) deletes the record and the secrets it owns', async () => {
		// No argument: the command asks which server; the list has one, and Enter takes it.
		const removed = vscode.commands.executeCommand<boolean>('plue.mcpServers.remove', undefined, { confirmed: true });
		assert.equal(await enterUntilSettled(removed, 'Remove MCP Server'), true, lastToast());
		assert.equal(await row(fixture.id), undefined, 'the removed server is still in the view');
		assert.equal(await api.mcpServers.hasSecret(secretRef), false, 'its secret stayed in the vault');
		await assert.rejects(record(fixture.id), /No codex has id/);
	});

	test('neither the verbose trace nor any log file of the extension holds a secret', async () => {
		const trace = await within(10_000, until(() => readTrace(api.logPath).includes(`Received response 'codex/delete`)).then(() => readTrace(api.logPath)), 'the trace');
		assert.ok(trace.includes(`Sending request 'vault/store`), 'the trace has no vault/store request');
		assert.ok(trace.includes('«secret»'), 'the trace shows no redaction mark');
		for (const { file, text } of readLogs(api.logPath)) {
			for (const value of [secret, secondSecret, 'refused-secret-value']) {
				assert.ok(!text.includes(value), `${path.basename(file)} holds a secret`);
			}
		}
		// The sidecar's own files: only the vault (encrypted) may know the secret.
		const home = process.env.PLUE_HOME;
		if (home) {
			for (const name of fs.readdirSync(home).filter(n => n !== 'vault.bin' && fs.statSync(path.join(home, n)).isFile())) {
				assert.ok(!fs.readFileSync(path.join(home, name)).includes(secret), `${name} in PLUE_HOME holds a secret`);
			}
		}
	});
});
