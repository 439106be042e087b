import { showError } from '../sidecar/commandErrors';
import { askArguments, askCommand, askEnvironment, askName } from './mcpPrompts';
import { isRemoteUrl, mcpFieldLabels, McpServer } from './mcpServer';
import { McpServerService, NewEnvVar } from './mcpServerService';
import { runMcpTest } from './testMcpServer';

/** `plue.mcpServers.add`'s optional argument: answers given up front (keybindings, scripts, tests). Anything left out is asked for. */
export interface AddMcpServerOptions {
	title?: string;
	command?: string;
	/** A remote server's URL (Streamable HTTP), instead of a command. */
	url?: string;
	args?: string[];
	/** A secret's value goes to the vault; the record keeps `NAME=vault://mcp/<slug>.<NAME>`. */
	env?: NewEnvVar[];
	trusted?: boolean;
}

/** Name → command → arguments → variables (or name → URL) → create → test. Returns the new server (tests use it). */
export async function addMcpServer(service: McpServerService, options: AddMcpServerOptions = {}): Promise<McpServer | undefined> {
	try {
		const title = options.title ?? await askName('Add MCP Server (1/4): name', '', name => service.toolNames(name));
		if (!title) {
			return undefined;
		}
		const command = options.url ?? options.command ?? await askCommand('Add MCP Server (2/4): command or URL', '', true);
		if (!command) {
			return undefined;
		}
		if (isRemoteUrl(command)) {
			const remote = await service.create({ title, url: command, command: '', args: [], env: [], trusted: options.trusted });
			await runMcpTest(service, remote);
			return remote;
		}
		const args = options.args ?? await askArguments(`Add MCP Server (3/4): arguments of ${command}`);
		if (!args) {
			return undefined;
		}
		const env = options.env ?? await askEnvironment('Add MCP Server (4/4): environment variables');
		if (!env) {
			return undefined;
		}
		const server = await service.create({ title, command, args, env, trusted: options.trusted });
		await runMcpTest(service, server);
		return server;
	} catch (error) {
		showError('add the MCP server', error, { labels: mcpFieldLabels });
		return undefined;
	}
}
