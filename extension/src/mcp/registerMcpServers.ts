import * as vscode from 'vscode';
import { addMcpServer, AddMcpServerOptions } from './addMcpServer';
import { editMcpServer, McpServerEdit } from './editMcpServer';
import { McpServerService } from './mcpServerService';
import { McpServersTreeProvider } from './mcpServersTreeProvider';
import { removeMcpServer, RemoveMcpServerOptions } from './removeMcpServer';
import { setMcpServerEnabled } from './setMcpServerEnabled';
import { testMcpServer } from './testMcpServer';
import type { RecordView } from '../shared/protocol';
import type { KindSettings } from '../settings/kindSettings';

/** Wires the MCP Servers view and the `plue.mcpServers.*` commands (each takes an optional tree row or record id). */
export function registerMcpServers(service: McpServerService, tree: McpServersTreeProvider): vscode.Disposable {
	return vscode.Disposable.from(
		vscode.window.registerTreeDataProvider('plue.mcpServers', tree),
		vscode.commands.registerCommand('plue.mcpServers.add', (options?: unknown) => addMcpServer(service, scriptArgument<AddMcpServerOptions>(options))),
		vscode.commands.registerCommand('plue.mcpServers.edit', (arg?: unknown, edit?: unknown) => editMcpServer(service, arg, scriptArgument<McpServerEdit>(edit))),
		vscode.commands.registerCommand('plue.mcpServers.remove', (arg?: unknown, options?: unknown) => removeMcpServer(service, arg, scriptArgument<RemoveMcpServerOptions>(options))),
		vscode.commands.registerCommand('plue.mcpServers.enable', (arg?: unknown) => setMcpServerEnabled(service, true, arg)),
		vscode.commands.registerCommand('plue.mcpServers.disable', (arg?: unknown) => setMcpServerEnabled(service, false, arg)),
		vscode.commands.registerCommand('plue.mcpServers.test', (arg?: unknown) => testMcpServer(service, arg)),
		vscode.commands.registerCommand('plue.mcpServers.refresh', () => service.refresh()),
	);
}

/** A script's options object; not a tree row or the array of selected rows a menu may pass. */
function scriptArgument<T extends object>(value: unknown): T | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !('id' in value) ? value as T : undefined;
}

/** An MCP server in the settings room: Add MCP Server's steps make one. */
export const mcpServerSettings: readonly [RecordView['kind'], KindSettings] = ['mcp-server', {
	create: { command: 'plue.mcpServers.add', label: 'Add MCP Server' },
}];
