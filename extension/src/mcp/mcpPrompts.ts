/** The input boxes and quick picks that ask for an MCP server's name, command, arguments and variables. Undefined means cancelled. */
import * as vscode from 'vscode';
import { joinArguments, splitArguments } from './argumentWords';
import { envNamePattern, isVaultRef } from './mcpServer';
import { NewEnvVar } from './mcpServerService';

/** A name: the sidecar makes the server's slug from it (letters, digits and '-'), which names its tools. */
/**
 * The server's name. `toolsOf`, when given, says as the user types what the tools will be called
 * (`mcp__<slug>__<tool>`), the slug asked of the sidecar, whose rule alone makes it; shown under the box, not blocking.
 */
export function askName(title: string, value = '', toolsOf?: (name: string) => Promise<string | undefined>): Thenable<string | undefined> {
	return vscode.window.showInputBox({
		title,
		value,
		placeHolder: 'e.g. GitHub',
		prompt: 'The name shown in the MCP Servers view. It also names the tools: mcp__<name>__<tool>, in lower case with \'-\' for spaces and dots.',
		ignoreFocusOut: true,
		validateInput: async text => {
			if (text.trim() === '') {
				return 'Enter a name.';
			}
			if (!/[\p{L}\p{N}]/u.test(text)) {
				return 'The name needs at least one letter or digit.';
			}
			const tools = await toolsOf?.(text.trim()).catch(() => undefined);
			return tools ? { message: `Its tools will be called ${tools}.`, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
		},
	}).then(text => text?.trim());
}

/** The program that runs a server; with `orUrl`, a remote server's URL too (https://…, Streamable HTTP). */
export function askCommand(title: string, value = '', orUrl = false): Thenable<string | undefined> {
	return vscode.window.showInputBox({
		title,
		value,
		placeHolder: orUrl ? 'e.g. npx, uvx, node, or https://mcp.example.com/mcp' : 'e.g. npx, uvx, node, /usr/local/bin/my-server',
		prompt: orUrl
			? 'The program that runs the server (a path, or a name found on PATH; its arguments come next), or the URL of a remote server.'
			: 'The program that runs the server: a path, or a name found on PATH. Its arguments come next.',
		ignoreFocusOut: true,
		validateInput: text => {
			if (text.trim() === '') {
				return 'Enter the program to start.';
			}
			return isVaultRef(text.trim()) ? 'A secret cannot be the command; put it in an environment variable.' : undefined;
		},
	}).then(text => text?.trim());
}

export function askArguments(title: string, value: readonly string[] = []): Thenable<string[] | undefined> {
	return vscode.window.showInputBox({
		title,
		value: joinArguments(value),
		placeHolder: 'e.g. -y @modelcontextprotocol/server-github',
		prompt: 'The arguments on one line, quoted like a shell\'s. Empty for none. Never a secret: other programs can read arguments.',
		ignoreFocusOut: true,
		validateInput: text => {
			const split = splitArguments(text);
			if ('error' in split) {
				return split.error;
			}
			if (split.words.some(w => w.includes('vault://'))) {
				return 'A vault:// secret is refused in arguments: put it in an environment variable.';
			}
			const count = split.words.length;
			return count === 0 ? undefined : { message: `${count} argument${count === 1 ? '' : 's'}: ${split.words.join(' · ')}`, severity: vscode.InputBoxValidationSeverity.Info };
		},
	}).then(text => {
		if (text === undefined) {
			return undefined;
		}
		const split = splitArguments(text);
		return 'words' in split ? split.words : undefined;
	});
}

/** Variables one at a time until an empty name. Undefined when cancelled. */
export async function askEnvironment(title: string, existing: ReadonlySet<string> = new Set()): Promise<NewEnvVar[] | undefined> {
	const added: NewEnvVar[] = [];
	for (;;) {
		const names = new Set([...existing, ...added.map(v => v.name)]);
		const name = await askVariableName(`${title}${added.length > 0 ? ` (${added.length} added)` : ''}`, names, true);
		if (name === undefined) {
			return undefined;
		}
		if (name === '') {
			return added;
		}
		const variable = await askVariableValue(title, name);
		if (!variable) {
			return undefined;
		}
		added.push(variable);
	}
}

/** A variable's name; with `emptyEnds`, an empty answer ('') means "no more". */
export function askVariableName(title: string, taken: ReadonlySet<string>, emptyEnds: boolean): Thenable<string | undefined> {
	return vscode.window.showInputBox({
		title,
		placeHolder: 'e.g. GITHUB_PERSONAL_ACCESS_TOKEN',
		prompt: emptyEnds ? 'An environment variable the server needs. Leave empty (Enter) when there are no more.' : 'The variable\'s name.',
		ignoreFocusOut: true,
		validateInput: text => {
			const name = text.trim();
			if (name === '') {
				return emptyEnds ? undefined : 'Enter a name.';
			}
			if (!envNamePattern.test(name)) {
				return 'A name is letters, digits and _, not starting with a digit.';
			}
			return taken.has(name) ? `${name} is already set.` : undefined;
		},
	}).then(text => text?.trim());
}

interface KindItem extends vscode.QuickPickItem {
	secret: boolean;
}

/** Secret or plain, then the value: a secret's in a masked box. */
export async function askVariableValue(title: string, name: string, secretFirst = true): Promise<NewEnvVar | undefined> {
	const kinds: KindItem[] = [
		{ secret: true, label: '$(lock) Secret', detail: 'Typed hidden, kept encrypted in the Plue vault' },
		{ secret: false, label: '$(symbol-text) Plain value', detail: 'Kept in the record as written, or a vault://<provider>/<key> reference' },
	];
	const kind = await vscode.window.showQuickPick(secretFirst ? kinds : kinds.reverse(), {
		title: `${title}: ${name}`,
		placeHolder: `Is ${name} a secret (a token, a password, a key)?`,
		ignoreFocusOut: true,
	});
	if (!kind) {
		return undefined;
	}
	const value = await vscode.window.showInputBox({
		title: `${title}: ${name}`,
		prompt: kind.secret ? `The value of ${name}. It is stored encrypted in the Plue vault and never shown again.` : `The value of ${name}.`,
		password: kind.secret,
		ignoreFocusOut: true,
		validateInput: text => {
			if (kind.secret && text === '') {
				return 'Enter the secret (Escape cancels).';
			}
			return kind.secret && isVaultRef(text) ? 'This is a reference, not a secret: choose Plain value for a vault:// reference.' : undefined;
		},
	});
	return value === undefined ? undefined : { name, value, secret: kind.secret };
}
