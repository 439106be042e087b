/** What the extension does with an MCP server's view (its kind's, `mcp/servers` and `codex/changed`). No vscode imports. */
import type { McpEnvVar, McpInputParams, McpInputResult, McpServer } from '../shared/protocol';
import { joinArguments } from './argumentWords';

export type { McpServer } from '../shared/protocol';

export const mcpServerTemplateId = 'mcp-server';

/** What the template's `env` items must look like before the '='. */
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One environment variable as the record holds it: a plain value or a `vault://` reference. */
export type EnvVar = Pick<McpEnvVar, 'name' | 'value'>;

/** `NAME=value` → {name, value}. */
export function parseEnvEntry(entry: string): EnvVar {
	const equals = entry.indexOf('=');
	return equals < 0 ? { name: entry, value: '' } : { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
}

export function envEntry(variable: EnvVar): string {
	return `${variable.name}=${variable.value}`;
}

export function isVaultRef(value: string): boolean {
	return value.startsWith('vault://');
}

/**
 * Where a secret variable of a server lives in the vault. A vault reference has exactly two segments
 * (`vault://<provider>/<key>`, letters, digits, '.', '_', '-'), so the server and the variable share the key:
 * `vault://mcp/<slug>.<NAME>`: neither has a '.' (the sidecar makes an MCP server's slug without one, from the
 * name the user gave, whichever door creates it).
 */
export function secretRef(slug: string, name: string): string {
	return `vault://mcp/${slug}.${name}`;
}

/** The vault entries this server owns: its variables whose value is the reference made for them. */
export function ownedSecretRefs(server: Pick<McpServer, 'slug' | 'env'>): string[] {
	return server.env.filter(v => v.value === secretRef(server.slug, v.name)).map(v => v.value);
}

/** Where the sidecar keeps a remote server's OAuth sign-in (tokens and client registration): server/Agents/Mcp/OAuth/McpTokenVault.cs. */
export function signInRef(slug: string): string {
	return `vault://mcp-oauth/${slug}`;
}

/** What a task's grant names to give it every tool of the server. */
export function grantName(slug: string): string {
	return `mcp__${slug}`;
}

/** The command line for people: arguments with spaces or quotes are quoted. */
export function commandLine(server: Pick<McpServer, 'command' | 'args'>): string {
	return joinArguments([server.command, ...server.args]);
}

/** Whether what was typed for a command is a remote server's URL. */
export function isRemoteUrl(text: string): boolean {
	return /^https?:\/\/\S+$/i.test(text);
}

/** Where the server is: its URL, or its command line. */
export function serverLocation(server: Pick<McpServer, 'url' | 'command' | 'args'>): string {
	return server.url ?? commandLine(server);
}

/** A server's row in Run Task's pick: its name, its grant and whether it asks, and where it runs (a remote one's URL, else its command). */
export function mcpServerItem(server: McpServer): { label: string; description: string; detail: string; server: McpServer } {
	return {
		label: server.title,
		description: `${grantName(server.slug)}${server.trusted ? ' · runs without asking' : ' · asks before each call'}${server.file ? ` · from ${server.file}` : ''}`,
		detail: serverLocation(server),
		server,
	};
}

/** "enabled · trusted", "enabled", "disabled". */
export function describeServerState(server: Pick<McpServer, 'enabled' | 'trusted'>): string {
	if (!server.enabled) {
		return 'disabled';
	}
	return server.trusted ? 'enabled · trusted' : 'enabled';
}

/** The template's field labels, for the sidecar's validation errors (templates/mcp-server.json5). */
export const mcpFieldLabels: Readonly<Record<string, string>> = {
	title: 'Name',
	slug: 'Name',
	transport: 'Transport',
	url: 'URL',
	headers: 'Headers',
	command: 'Command',
	args: 'Arguments',
	env: 'Environment',
	trusted: 'Run its tools without asking',
	enabled: 'Enabled',
};

/** A row's description: its state, or for a server of an MCP file the file it comes from (read-only) and why it is not used. */
export function describeServerRow(server: Pick<McpServer, 'enabled' | 'trusted' | 'file' | 'ignored'>): string {
	if (!server.file) {
		return describeServerState(server);
	}
	return server.ignored ? `from ${server.file} · ignored: ${server.ignored}` : `from ${server.file}`;
}

/** What the input box for an MCP file's input shows. */
export interface McpInputBox {
	title: string;
	prompt: string;
	password: boolean;
	/** The text the box starts with (the file's `default`). */
	value?: string;
	/** A `pickString` input's choices: a pick of one instead of a box, the default first. */
	options?: string[];
}

/**
 * Answers `mcp/input`: asks the user once (masked for a password; a pick of its choices for a `pickString` input, its
 * default first) and stores a given value at the input's vault reference; dismissed or empty, nothing is stored and
 * the server says it needs the input.
 */
export async function answerMcpInput(
	params: McpInputParams,
	ask: (box: McpInputBox) => Promise<string | undefined>,
	store: (ref: string, value: string) => Promise<void>,
): Promise<McpInputResult> {
	const options = params.options ? [...params.options] : undefined;
	const first = options?.indexOf(params.default ?? '') ?? -1;
	if (options && first > 0) {
		options.unshift(...options.splice(first, 1));
	}
	const value = await ask({
		title: `${params.title} (${params.file})`,
		prompt: `${params.description ?? `The value of ${params.input}`}. It is kept encrypted in the Plue vault and asked only once.`,
		password: params.password,
		...(options ? { options } : params.default ? { value: params.default } : {}),
	});
	if (!value || (options && !options.includes(value))) {
		return { stored: false };
	}
	await store(params.ref, value);
	return { stored: true };
}
