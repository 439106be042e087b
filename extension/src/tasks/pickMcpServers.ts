import * as vscode from 'vscode';
import { grantName, McpServer, mcpServerItem } from '../mcp/mcpServer';

/**
 * The MCP servers a new task may use, as `mcp_tools` grant entries (`mcp__<slug>`). Nothing is asked when there is
 * no enabled server (an empty grant); none is picked beforehand, so a task gets a server's tools only when the user
 * says so. Undefined when cancelled.
 */
export async function pickMcpGrant(servers: McpServer[]): Promise<string[] | undefined> {
	const enabled = servers.filter(s => s.enabled);
	if (enabled.length === 0) {
		return [];
	}
	const picked = await vscode.window.showQuickPick(enabled.map(mcpServerItem), {
		title: 'Run Task: MCP servers',
		placeHolder: 'Which MCP servers may the task use? Pick none for no MCP tools (Space toggles, Enter confirms)',
		canPickMany: true,
		ignoreFocusOut: true,
		matchOnDescription: true,
	});
	return picked?.map(item => grantName(item.server.slug));
}

