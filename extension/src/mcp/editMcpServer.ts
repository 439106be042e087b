import * as vscode from 'vscode';
import { joinArguments } from './argumentWords';
import { showError } from '../sidecar/commandErrors';
import { askArguments, askCommand, askVariableName, askVariableValue } from './mcpPrompts';
import { grantName, isVaultRef, mcpFieldLabels, McpServer, ownedSecretRefs } from './mcpServer';
import { McpServerChange, McpServerService, NewEnvVar } from './mcpServerService';
import { resolveMcpServer } from './pickMcpServer';

/** `plue.mcpServers.edit`'s second argument: a change made without asking (scripts, tests). */
export interface McpServerEdit extends McpServerChange {
	/** Adds or replaces a variable; a secret's value goes to the vault. */
	setEnv?: NewEnvVar;
	/** Removes a variable, and its vault entry if the server owns it. */
	removeEnv?: string;
}

type Field = 'title' | 'command' | 'args' | 'env' | 'trusted';

interface FieldItem extends vscode.QuickPickItem {
	field: Field;
}

/** Pick a field (name, command, arguments, a variable, trust), change it. Returns the updated server. */
export async function editMcpServer(service: McpServerService, arg?: unknown, edit?: McpServerEdit): Promise<McpServer | undefined> {
	try {
		const server = await resolveMcpServer(service, arg, 'Edit MCP Server');
		if (!server) {
			return undefined;
		}
		const change = edit ?? await askEdit(server);
		if (!change) {
			return undefined;
		}
		const updated = await applyEdit(service, server, change);
		if (!edit) {
			void vscode.window.showInformationMessage(`${updated.title} is updated.`);
		}
		return updated;
	} catch (error) {
		showError('edit the MCP server', error, { labels: mcpFieldLabels });
		return undefined;
	}
}

async function applyEdit(service: McpServerService, server: McpServer, edit: McpServerEdit): Promise<McpServer> {
	const { setEnv, removeEnv, ...change } = edit;
	let current = server;
	if (setEnv) {
		current = await service.setEnvVar(current, setEnv);
	}
	if (removeEnv !== undefined) {
		if (!current.env.some(v => v.name === removeEnv)) {
			throw new Error(`${current.title} has no variable ${removeEnv}`);
		}
		current = await service.removeEnvVar(current, removeEnv);
	}
	if (Object.values(change).some(v => v !== undefined)) {
		current = await service.update(current, change);
	}
	return current;
}

function fieldItems(server: McpServer): FieldItem[] {
	const names = server.env.map(v => v.name);
	return [
		{ field: 'title', label: '$(edit) Name', description: server.title, detail: `Its tools keep their names: ${grantName(server.slug)}__<tool>.` },
		{ field: 'command', label: '$(terminal) Command', description: server.command },
		{ field: 'args', label: '$(list-flat) Arguments', description: server.args.length > 0 ? joinArguments(server.args) : 'none' },
		{ field: 'env', label: '$(symbol-variable) Environment variables', description: names.length > 0 ? names.join(', ') : 'none' },
		{ field: 'trusted', label: '$(shield) Run its tools without asking', description: server.trusted ? 'on' : 'off: each call asks you first' },
	];
}

async function askEdit(server: McpServer): Promise<McpServerEdit | undefined> {
	const picked = await vscode.window.showQuickPick(fieldItems(server), { title: `Edit ${server.title}`, placeHolder: 'What to change' });
	switch (picked?.field) {
		case undefined:
			return undefined;
		case 'title': {
			const title = await vscode.window.showInputBox({
				title: `Edit ${server.title}: name`, value: server.title, ignoreFocusOut: true,
				validateInput: v => (v.trim() === '' ? 'Enter a name.' : undefined),
			});
			return title === undefined ? undefined : { title: title.trim() };
		}
		case 'command': {
			const command = await askCommand(`Edit ${server.title}: command`, server.command);
			return command === undefined ? undefined : { command };
		}
		case 'args': {
			const args = await askArguments(`Edit ${server.title}: arguments`, server.args);
			return args === undefined ? undefined : { args };
		}
		case 'env':
			return askEnvEdit(server);
		case 'trusted':
			return askTrust(server);
	}
}

interface VariableItem extends vscode.QuickPickItem {
	name?: string;
}

async function askEnvEdit(server: McpServer): Promise<McpServerEdit | undefined> {
	const title = `Edit ${server.title}: environment variables`;
	const owned = new Set(ownedSecretRefs(server));
	const items: VariableItem[] = [
		...server.env.map((v): VariableItem => ({
			name: v.name,
			label: `$(${isVaultRef(v.value) ? 'lock' : 'symbol-variable'}) ${v.name}`,
			// Only plain values are shown; a reference is not a secret, but says where one is.
			description: owned.has(v.value) ? 'secret, in the Plue vault' : v.value,
		})),
		{ label: '$(add) Add a variable' },
	];
	const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a variable to change or remove' });
	if (!picked) {
		return undefined;
	}
	if (!picked.name) {
		const name = await askVariableName(title, new Set(server.env.map(v => v.name)), false);
		const variable = name && await askVariableValue(title, name);
		return variable ? { setEnv: variable } : undefined;
	}
	const name = picked.name;
	const action = await vscode.window.showQuickPick([
		{ label: '$(edit) Change its value', remove: false },
		{ label: '$(trash) Remove it', remove: true, detail: owned.has(server.env.find(v => v.name === name)?.value ?? '') ? 'Its secret is deleted from the Plue vault.' : undefined },
	], { title: `${title}: ${name}` });
	if (!action) {
		return undefined;
	}
	if (action.remove) {
		return { removeEnv: name };
	}
	const variable = await askVariableValue(title, name, isVaultRef(server.env.find(v => v.name === name)?.value ?? ''));
	return variable && { setEnv: variable };
}

async function askTrust(server: McpServer): Promise<McpServerEdit | undefined> {
	if (server.trusted) {
		return { trusted: false };
	}
	const choice = await vscode.window.showWarningMessage(`Let ${server.title}'s tools run without asking?`, {
		modal: true,
		detail: `In a trusted workspace, a task granted ${grantName(server.slug)} will run every tool of this server without asking you first. Turn this on only if every tool it offers is harmless.`,
	}, 'Run Without Asking');
	return choice ? { trusted: true } : undefined;
}
