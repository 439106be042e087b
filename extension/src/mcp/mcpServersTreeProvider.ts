import * as vscode from 'vscode';
import { Sidecar } from '../sidecar/sidecar';
import { escapeMarkdown as escape, SidecarListTree } from '../sidecar/sidecarListTree';
import { commandLine, describeServerRow, describeServerState, grantName, isVaultRef, McpServer, ownedSecretRefs } from './mcpServer';
import { McpServerService, McpTestOutcome } from './mcpServerService';

const icons = {
	enabled: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	trusted: new vscode.ThemeIcon('workspace-trusted', new vscode.ThemeColor('testing.iconPassed')),
	disabled: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
	failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
};

/**
 * The `plue.mcpServers` view: one row per `mcp-server` record with its state (enabled, disabled, trusted) and the
 * outcome of its last test. The context value `plue.mcpServer.(enabled|disabled)` drives the row's menus (package.json);
 * a server of an MCP file (`.vscode/mcp.json`, `.mcp.json`, `.cursor/mcp.json`) is a read-only row, `plue.mcpServerFile`,
 * with no menu: its file is where it changes.
 */
export class McpServersTreeProvider extends SidecarListTree<McpServer> {
	constructor(private readonly _service: McpServerService, sidecar: Sidecar, log: vscode.LogOutputChannel) {
		super(_service.onDidChange, sidecar, log, 'MCP servers');
	}

	getTreeItem(server: McpServer): vscode.TreeItem {
		const test = this._service.lastTest(server.id);
		const item = new vscode.TreeItem(server.title, vscode.TreeItemCollapsibleState.None);
		item.id = server.id;
		item.description = [describeServerRow(server), testSummary(test)].filter(Boolean).join(' · ');
		item.iconPath = test?.ok === false ? icons.failed : !server.enabled ? icons.disabled : server.trusted ? icons.trusted : icons.enabled;
		item.contextValue = server.file ? 'plue.mcpServerFile' : `plue.mcpServer.${server.enabled ? 'enabled' : 'disabled'}`;
		item.tooltip = tooltip(server, test);
		return item;
	}

	protected list(): Promise<McpServer[]> {
		return this._service.list();
	}
}

function testSummary(test: McpTestOutcome | undefined): string | undefined {
	if (!test) {
		return undefined;
	}
	return test.ok ? `${test.toolCount} tool${test.toolCount === 1 ? '' : 's'}` : 'failed its test';
}

function tooltip(server: McpServer, test: McpTestOutcome | undefined): vscode.MarkdownString {
	const owned = new Set(ownedSecretRefs(server));
	const variables = server.env.map(v => `\`${v.name}\`${owned.has(v.value) ? ' (secret, in the vault)' : isVaultRef(v.value) ? ` (from ${v.value})` : ''}`);
	const lines = [
		`**${escape(server.title)}**: ${server.file ? escape(describeServerRow(server)) : describeServerState(server)}`,
		...(server.file ? [`Read-only: change it in \`${server.file.replace(/`/g, "'")}\`. Its variables' values stay in the file.`] : []),
		...(server.url
			? [`URL: \`${server.url.replace(/`/g, "'")}\``, 'Signs in with OAuth when it asks: Test MCP Server opens the browser.']
			: [`Command: \`${commandLine(server).replace(/`/g, "'")}\``, `Environment: ${variables.length > 0 ? variables.join(', ') : 'none'}`]),
		`Grant: \`${grantName(server.slug)}\` (every tool) or \`${grantName(server.slug)}__<tool>\``,
		server.trusted ? 'Its tools run without asking in a trusted workspace.' : 'Each call of its tools asks you first.',
	];
	if (test) {
		lines.push(test.ok ? `Last test: ${testSummary(test)}` : `Last test failed: ${escape(test.error)}`);
	}
	const markdown = new vscode.MarkdownString(lines.join('\n\n'));
	markdown.supportThemeIcons = false;
	return markdown;
}
