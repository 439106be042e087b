import * as vscode from 'vscode';
import { showError } from '../sidecar/commandErrors';
import { grantName, mcpFieldLabels, ownedSecretRefs } from './mcpServer';
import { McpServerService } from './mcpServerService';
import { resolveMcpServer } from './pickMcpServer';

/** `plue.mcpServers.remove`'s second argument, for scripts: `confirmed` skips the question (the palette and the tree always ask). */
export interface RemoveMcpServerOptions {
	confirmed?: boolean;
}

/** Deletes the record and the vault entries it owns, after a modal confirmation. Returns whether it was removed. */
export async function removeMcpServer(service: McpServerService, arg?: unknown, options: RemoveMcpServerOptions = {}): Promise<boolean> {
	try {
		const server = await resolveMcpServer(service, arg, 'Remove MCP Server');
		if (!server) {
			return false;
		}
		if (!options.confirmed) {
			const secrets = server.env.filter(v => ownedSecretRefs({ slug: server.slug, env: [v] }).length > 0).map(v => v.name);
			const detail = [
				`Tasks granted ${grantName(server.slug)} can no longer use its tools.`,
				secrets.length > 0 ? `Its secret${secrets.length === 1 ? '' : 's'} (${secrets.join(', ')}) will be deleted from the Plue vault.` : '',
				server.url ? 'Its sign-in, if any, will be deleted from the Plue vault.' : '',
			].join(' ').trim();
			const choice = await vscode.window.showWarningMessage(`Remove the MCP server "${server.title}"?`, { modal: true, detail }, 'Remove');
			if (choice !== 'Remove') {
				return false;
			}
		}
		await service.remove(server);
		return true;
	} catch (error) {
		showError('remove the MCP server', error, { labels: mcpFieldLabels });
		return false;
	}
}
