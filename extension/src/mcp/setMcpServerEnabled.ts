import { showError } from '../sidecar/commandErrors';
import { mcpFieldLabels, McpServer } from './mcpServer';
import { McpServerService } from './mcpServerService';
import { resolveMcpServer } from './pickMcpServer';

/** `plue.mcpServers.enable` / `plue.mcpServers.disable`. A disabled server keeps its record; no task may start it. Returns the updated server. */
export async function setMcpServerEnabled(service: McpServerService, enabled: boolean, arg?: unknown): Promise<McpServer | undefined> {
	const verb = enabled ? 'Enable' : 'Disable';
	try {
		const server = await resolveMcpServer(service, arg, `${verb} MCP Server`, s => s.enabled !== enabled);
		if (!server || server.enabled === enabled) {
			return server;
		}
		return await service.setEnabled(server, enabled);
	} catch (error) {
		showError(`${verb.toLowerCase()} the MCP server`, error, { labels: mcpFieldLabels });
		return undefined;
	}
}
