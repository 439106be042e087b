import * as vscode from 'vscode';
import { describeServerState, McpServer } from './mcpServer';
import { McpServerService } from './mcpServerService';

interface ServerItem extends vscode.QuickPickItem {
	server: McpServer;
}

/** The server a command acts on: its argument (a tree row or a record id), read again; else one the user picks among `eligible`. */
export async function resolveMcpServer(
	service: McpServerService, arg: unknown, title: string, eligible: (s: McpServer) => boolean = () => true,
): Promise<McpServer | undefined> {
	if (typeof arg === 'string') {
		return service.get(arg);
	}
	if (isServer(arg)) {
		// A tree row may be stale (its version especially).
		return service.get(arg.id);
	}
	const servers = (await service.list()).filter(eligible);
	if (servers.length === 0) {
		void vscode.window.showInformationMessage('No matching MCP servers. Run "Plue: Add MCP Server" first.');
		return undefined;
	}
	const picked = await vscode.window.showQuickPick(servers.map((server): ServerItem => ({
		label: server.title,
		description: `mcp__${server.slug} · ${describeServerState(server)}`,
		server,
	})), { title, placeHolder: 'Pick an MCP server', matchOnDescription: true });
	return picked?.server;
}

function isServer(value: unknown): value is McpServer {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
		&& typeof (value as { slug?: unknown }).slug === 'string' && Array.isArray((value as { env?: unknown }).env);
}
