import { resolveTarget } from '../sidecar/commandTarget';
import { describeServerState, McpServer } from './mcpServer';
import { McpServerService } from './mcpServerService';

/**
 * The server a command acts on: its argument (a tree row or a record id), read again; else one the user picks among
 * `eligible`, never one of an MCP file (read-only: its file is where it changes).
 */
export function resolveMcpServer(
	service: McpServerService, arg: unknown, title: string, eligible: (s: McpServer) => boolean = () => true,
): Promise<McpServer | undefined> {
	return resolveTarget({
		get: id => service.get(id),
		list: async () => (await service.list()).filter(server => !server.file),
		isRow: isServer,
		item: server => ({ label: server.title, description: `mcp__${server.slug} · ${describeServerState(server)}` }),
		none: 'No matching MCP servers. Run "Plue: Add MCP Server" first.',
		placeHolder: 'Pick an MCP server',
		matchOnDescription: true,
	}, arg, title, eligible);
}

function isServer(value: unknown): value is McpServer {
	return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
		&& typeof (value as { slug?: unknown }).slug === 'string' && Array.isArray((value as { env?: unknown }).env);
}
