import * as vscode from 'vscode';
import { showError } from '../sidecar/commandErrors';
import { McpToolSummary } from '../shared/protocol';
import { mcpFieldLabels, McpServer, serverLocation } from './mcpServer';
import { McpServerService } from './mcpServerService';
import { resolveMcpServer } from './pickMcpServer';
import { shortPaths } from '../shared/approvalPrompt';
import { errorText } from '../shared/errorText';

/** What a test found: the tools, or why the server did not start. */
export interface McpTestReport {
	ok: boolean;
	tools: McpToolSummary[];
	error?: string;
}

/** `plue.mcpServers.test`: starts the server as configured, lists its tools, stops it. Returns the report (tests use it). */
export async function testMcpServer(service: McpServerService, arg?: unknown): Promise<McpTestReport | undefined> {
	try {
		const server = await resolveMcpServer(service, arg, 'Test MCP Server');
		return server && await runMcpTest(service, server);
	} catch (error) {
		showError('test the MCP server', error, { labels: mcpFieldLabels });
		return undefined;
	}
}

/** Tests under a progress notification and says "works: N tools" (with a way to see them) or the server's error. */
export async function runMcpTest(service: McpServerService, server: McpServer): Promise<McpTestReport> {
	try {
		const result = await vscode.window.withProgress(
			{ location: vscode.ProgressLocation.Notification, title: `Testing ${server.title}: ${server.url ? 'connecting to' : 'starting'} ${shortPaths(serverLocation(server))}…` },
			() => service.tools(server),
		);
		const count = result.tools.length;
		void vscode.window.showInformationMessage(`${server.title} works: ${count} tool${count === 1 ? '' : 's'}.`, ...(count > 0 ? ['Show Tools'] : []))
			.then(choice => (choice ? showTools(server, result.tools) : undefined));
		return { ok: true, tools: result.tools };
	} catch (error) {
		const message = errorText(error);
		void vscode.window.showErrorMessage(`${server.title} failed its test: ${message}`);
		return { ok: false, tools: [], error: message };
	}
}

/** The tools as a list to read (picking one does nothing more). */
async function showTools(server: McpServer, tools: McpToolSummary[]): Promise<void> {
	await vscode.window.showQuickPick(tools.map(tool => ({
		label: `$(tools) ${tool.name}`,
		description: tool.agentName,
		detail: tool.description ?? undefined,
	})), { title: `Tools of ${server.title}`, placeHolder: 'A task granted the server may use these', matchOnDescription: true, matchOnDetail: true });
}
