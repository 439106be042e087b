/** An MCP server as the extension sees it: an `mcp-server` codex record's fields, typed. No vscode imports. */
import { CodexRecord } from '../shared/protocol';
import { joinArguments } from './argumentWords';

export const mcpServerTemplateId = 'mcp-server';

/** What the template's `env` items must look like before the '='. */
export const envNamePattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The sidecar's codex slugs: lower-case letters, digits and '-', at most 60 (server/Codex/Records/Slugs.cs). */
const slugMaxLength = 60;

/** One environment variable as the record holds it: a plain value or a `vault://` reference. */
export interface EnvVar {
	name: string;
	value: string;
}

export interface McpServer {
	id: string;
	/** Names the tools: `mcp__<slug>__<tool>`. */
	slug: string;
	title: string;
	version: number;
	/** A remote server's MCP endpoint (Streamable HTTP); undefined for a program started on stdio. */
	url?: string;
	command: string;
	args: string[];
	env: EnvVar[];
	trusted: boolean;
	enabled: boolean;
}

export function mcpServerFrom(record: CodexRecord): McpServer {
	const f = record.fields;
	return {
		id: record.id,
		slug: record.slug,
		title: record.title,
		version: record.version,
		url: f.transport === 'http' && typeof f.url === 'string' ? f.url : undefined,
		command: typeof f.command === 'string' ? f.command : '',
		args: strings(f.args),
		env: strings(f.env).map(parseEnvEntry),
		trusted: f.trusted === true,
		enabled: f.enabled !== false,
	};
}

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
 * `vault://mcp/<slug>.<NAME>` (neither a slug nor a variable name has a '.').
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

/** The slug the sidecar would make from a title ("GitHub (work)!" → "github-work"), or undefined when nothing is left. */
export function slugFromTitle(title: string): string | undefined {
	let slug = '';
	for (const c of title.normalize('NFD').toLowerCase()) {
		if (/[a-z0-9]/.test(c)) {
			slug += c;
		} else if (/\p{Mn}/u.test(c)) {
			continue;
		} else if (slug.length > 0 && !slug.endsWith('-')) {
			slug += '-';
		}
		if (slug.length >= slugMaxLength) {
			break;
		}
	}
	slug = slug.replace(/^-+|-+$/g, '');
	return slug || undefined;
}

/** The title's slug, made unique among `taken` with -2, -3...; undefined when the title has no letter or digit. */
export function freeSlug(title: string, taken: ReadonlySet<string>): string | undefined {
	const base = slugFromTitle(title);
	if (!base || !taken.has(base)) {
		return base;
	}
	for (let n = 2; ; n++) {
		const suffix = `-${n}`;
		const candidate = base.slice(0, slugMaxLength - suffix.length).replace(/-+$/, '') + suffix;
		if (!taken.has(candidate)) {
			return candidate;
		}
	}
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
		description: `${grantName(server.slug)}${server.trusted ? ' · runs without asking' : ' · asks before each call'}`,
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

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
