/**
 * What the user is asked when a task or a chat backend wants to run a tool:
 * the sidecar's `permission/request` turned into a title, a preview (the
 * command, the file to write, the edit as a diff) and the reason, with
 * anything that looks like a secret masked. No imports of vscode: the webview
 * renders these prompts, and the tests load this file on its own.
 */
import type { PermissionRequestParams } from './protocol';

/** A preview shown under the title: a command, a file's content, an edit as `- ` / `+ ` lines, or raw input. */
export interface ApprovalPreview {
	kind: 'command' | 'content' | 'diff' | 'json';
	text: string;
}

/** One question waiting for the user, as the panels, the notification and the tree show it. */
export interface ApprovalPrompt {
	/** The extension's own id for this question (a request id is not unique across sidecar restarts). */
	id: string;
	taskId?: string;
	sessionId?: string;
	/** Who asks, for people: the task's or the chat's title. */
	owner: string;
	tool: string;
	/** One line: "Run npm test", "Write src/a.ts (12 lines)". */
	title: string;
	preview?: ApprovalPreview;
	reason?: string;
	/** Set when the tool is `spend_cap`: the task reached its spend cap and waits to be raised or stopped. */
	spendCap?: { spentUsd: number; capUsd: number };
	/** A write or edit of a named file: its card offers Show Diff (the host keeps the request's text, the card never has it). */
	diffable?: boolean;
	/** What "Always…" may name besides the whole tool: bash's command prefix (`npm test`) or a write's or edit's path glob (`src/**`). */
	narrow?: ApprovalNarrow;
	/** For a command: the sandbox policy it will run under, in words ("Workspace write (home hidden, no network)"). */
	sandboxPolicy?: string;
	/** Beside a command prefix: the one host the command's URLs are on (`127.0.0.1:8080`), for a host rule. */
	host?: string;
}

/** A grant narrower than the whole tool, as the sidecar suggested it. */
export interface ApprovalNarrow {
	kind: 'prefix' | 'glob';
	value: string;
}

/** "Always allow `npm test` in this workspace", "Always allow write src/** in this workspace". */
export function narrowLabel(prompt: ApprovalPrompt): string | undefined {
	const narrow = prompt.narrow;
	return narrow ? `Always allow ${narrow.kind === 'prefix' ? `\`${narrow.value}\`` : `${prompt.tool} ${narrow.value}`} in this workspace` : undefined;
}

/** "Always allow `curl` to 127.0.0.1:8080 in this workspace": the prefix rule narrowed to the host the command reaches. */
export function hostLabel(prompt: ApprovalPrompt): string | undefined {
	return prompt.host && prompt.narrow?.kind === 'prefix' ? `Always allow \`${prompt.narrow.value}\` to ${prompt.host} in this workspace` : undefined;
}

/**
 * The user-wide rule: the narrowest one offered (host, else prefix or glob, else the whole tool), in every workspace:
 * "Always allow `curl` to 127.0.0.1:8080 everywhere".
 */
export function everywhereLabel(prompt: ApprovalPrompt): string {
	const narrow = prompt.narrow;
	const what = !narrow ? prompt.tool : narrow.kind === 'prefix' ? `\`${narrow.value}\`${prompt.host ? ` to ${prompt.host}` : ''}` : `${prompt.tool} ${narrow.value}`;
	return `Always allow ${what} everywhere`;
}

/** The allowAlways answer of the narrowest rule offered (what {@link everywhereLabel} names). */
export function narrowestAnswer(prompt: ApprovalPrompt): { commandPrefix?: string; pathGlob?: string; host?: string } {
	if (!prompt.narrow) {
		return {};
	}
	return { ...narrowAnswer(prompt.narrow), ...(prompt.host && prompt.narrow.kind === 'prefix' ? { host: prompt.host } : {}) };
}

/** The allowAlways answer's narrowing, as `permission/request`'s result carries it. */
export function narrowAnswer(narrow: ApprovalNarrow): { commandPrefix: string } | { pathGlob: string } {
	return narrow.kind === 'prefix' ? { commandPrefix: narrow.value } : { pathGlob: narrow.value };
}

/** What "Always for this …" covers: the asking task, or the asking chat (the sidecar remembers both under the wire's "task" scope). */
export function ownerKind(prompt: ApprovalPrompt): 'task' | 'chat' | undefined {
	return prompt.taskId ? 'task' : prompt.sessionId ? 'chat' : undefined;
}

/** The answers the extension gives (the wire's `decision` is any string: the sidecar denies one it does not know). */
export type ApprovalDecision = 'allow' | 'allowAlways' | 'deny';

/** Where an allowAlways holds: the rest of the task (the default), this workspace, or every workspace (each until reset). */
export type ApprovalScope = 'task' | 'workspace' | 'everywhere';

/** The choices the notification's buttons and the tree's Approve send to `plue.approval.answer` (`always` asks which scope). */
export type ApprovalChoice = 'allow' | 'allowAlwaysTask' | 'allowAlwaysWorkspace' | 'allowAlwaysNarrow' | 'allowAlwaysHost' | 'allowAlwaysEverywhere' | 'deny' | 'raiseCap' | 'stop' | 'show' | 'showDiff' | 'always';

const maxPreviewLines = 60;
const maxPreviewChars = 6000;
// Long enough for the whole question in the card and the notification (a long command wraps there); the preview holds the rest.
const maxTitleChars = 2000;

/** Builds the prompt for a request; `mask` hides secrets the extension knows of (the Redactor's) on top of the patterns here. */
export function describeApproval(id: string, params: PermissionRequestParams, owner: string, mask: (text: string) => string = text => text): ApprovalPrompt {
	const prompt = promptFor(id, params, owner, mask);
	// The sidecar's tools give their call as the reason ("Write src/a.ts", "Run: npm test"): the title already says it.
	const said = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
	if (prompt.reason && said(prompt.title).startsWith(said(prompt.reason))) {
		prompt.reason = undefined;
	}
	return prompt;
}

function promptFor(id: string, params: PermissionRequestParams, owner: string, mask: (text: string) => string): ApprovalPrompt {
	const hide = (text: string): string => maskSecrets(mask(text));
	const input = isRecord(params.input) ? params.input : {};
	const base: ApprovalPrompt = {
		id,
		taskId: params.taskId ?? undefined,
		sessionId: params.sessionId ?? undefined,
		owner,
		tool: params.tool,
		title: '',
		reason: params.reason ? hide(params.reason) : undefined,
	};
	if (params.suggestedPrefix) {
		base.narrow = { kind: 'prefix', value: hide(params.suggestedPrefix) };
		if (params.suggestedHost) {
			base.host = hide(params.suggestedHost);
		}
	} else if (params.suggestedGlob) {
		base.narrow = { kind: 'glob', value: hide(params.suggestedGlob) };
	}
	const tool = params.tool.toLowerCase();
	const path = hide(stringField(input, 'path', 'file_path', 'filePath', 'notebook_path') ?? '');
	if (tool === 'spend_cap') {
		const spentUsd = numberField(input, 'spentUsd') ?? 0;
		const capUsd = numberField(input, 'capUsd') ?? 0;
		return { ...base, title: `Reached its spend cap: $${spentUsd.toFixed(2)} of $${capUsd.toFixed(2)}`, spendCap: { spentUsd, capUsd } };
	}
	if (tool === 'agent_hook') {
		// A hooks file that appeared or changed during the session: its command and the whole file, before it first runs.
		const command = hide(stringField(input, 'command') ?? '');
		return { ...base, title: `Run the hook ${oneLine(command)} from ${path || 'a changed file'}`, preview: { kind: 'content', text: clip(hide(stringField(input, 'content') ?? '')) } };
	}
	if (tool === 'acp_untrusted_workspace') {
		// Before an ACP agent first runs in a workspace that is not trusted: Plue cannot keep it from the workspace's settings.
		const agent = hide(stringField(input, 'agent') ?? 'The agent');
		return { ...base, title: `${oneLine(agent)} reads the workspace's own settings, and this workspace is not trusted: run it anyway` };
	}
	if (tool === 'mcp_server_file') {
		// An MCP file's server that appeared or changed during the session: what it runs and the whole file, before it starts.
		return { ...base, title: `Start the MCP server ${oneLine(hide(stringField(input, 'server') ?? ''))} from ${path || 'a changed file'}`, preview: { kind: 'content', text: clip(hide(stringField(input, 'content') ?? '')) } };
	}
	if (tool === 'custom_command') {
		// A command file that appeared or changed during the session: the whole file, before it first runs.
		return { ...base, title: `Run the command ${oneLine(hide(stringField(input, 'command') ?? ''))} from ${path || 'a changed file'}`, preview: { kind: 'content', text: clip(hide(stringField(input, 'content') ?? '')) } };
	}
	if (tool === 'bash') {
		const command = hide(stringField(input, 'command', 'cmd') ?? '');
		const description = stringField(input, 'description');
		return {
			...base,
			title: `Run ${oneLine(command)}`,
			preview: { kind: 'command', text: clip(command) },
			reason: base.reason ?? (description ? hide(description) : undefined),
			sandboxPolicy: params.sandboxPolicy ?? undefined,
		};
	}
	if (tool === 'write') {
		const content = stringField(input, 'content', 'text') ?? '';
		// A final newline ends the last line; it does not start another.
		const lines = content ? content.replace(/\n$/, '').split('\n').length : 0;
		return { ...base, title: `Write ${path || 'a file'} (${lines} ${lines === 1 ? 'line' : 'lines'})`, preview: { kind: 'content', text: clip(hide(content)) }, diffable: path !== '' };
	}
	if (tool === 'edit' || tool === 'multiedit') {
		const edits = editsOf(input);
		return { ...base, title: `Edit ${path || 'a file'}${edits.length > 1 ? ` (${edits.length} changes)` : ''}`, preview: { kind: 'diff', text: clip(hide(diffText(edits))) }, diffable: path !== '' && edits.length > 0 };
	}
	if (tool === 'merge_changes') {
		// The sidecar names the sub-task and its files ("Merge the changes of "Tests" (a.ts) into the workspace").
		return { ...base, title: base.reason ?? 'Merge a sub-task\'s changes into the workspace' };
	}
	if (tool === 'read') {
		return { ...base, title: `Read ${path || 'a file'}` };
	}
	if (tool === 'search' || tool === 'grep' || tool === 'glob') {
		const pattern = hide(stringField(input, 'pattern', 'query', 'glob') ?? '');
		return { ...base, title: `Search for ${oneLine(pattern)}${path ? ` in ${path}` : ''}` };
	}
	const json = JSON.stringify(params.input ?? null, null, 2);
	return { ...base, title: `Use ${toolTitle(params.tool)}${path ? ` on ${path}` : ''}`, preview: json === '{}' || json === 'null' ? undefined : { kind: 'json', text: clip(hide(json)) } };
}

/** A button of the approval notification, and the choice it sends to `plue.approval.answer`. */
export interface NoticeButton {
	label: string;
	choice: ApprovalChoice;
}

/**
 * A toast names a file by its last folder and name (`…/project/a.ts`), never by its absolute path: an agent's own
 * question may carry one (an ACP agent's "Edit /home/…/a.ts"); the card in the chat or task shows it whole.
 */
export function shortPaths(text: string): string {
	return text
		.replace(/(^|[\s"'(])\/(?:[^\s/"'()?]+\/)+([^\s/"'()?]+\/[^\s/"'()?]+)/g, '$1…/$2')
		.replace(/(^|[\s"'(])[A-Za-z]:\\(?:[^\s\\"'()?]+\\)+([^\s\\"'()?]+\\[^\s\\"'()?]+)/g, '$1…\\$2');
}

/**
 * The approval notification: the whole question ("Chat "Refactor" asks: Write src/a.ts (3 lines)? (why)") and real
 * buttons: Allow, Deny…, Show Diff for a write or edit of a file (else Show, its panel), and Always… (the
 * allow-always scopes); a spend cap's Raise cap…, Stop and Show.
 */
export function noticeOf(prompt: ApprovalPrompt): { message: string; buttons: NoticeButton[] } {
	const owner = prompt.owner.charAt(0).toUpperCase() + prompt.owner.slice(1);
	const reason = prompt.reason ? ` (${shortPaths(prompt.reason)})` : '';
	const title = shortPaths(prompt.title);
	const message = prompt.spendCap ? `${owner}: ${title}.${reason}` : `${owner} asks: ${title}?${reason}`;
	const buttons: NoticeButton[] = prompt.spendCap
		? [{ label: 'Raise cap…', choice: 'raiseCap' }, { label: 'Stop', choice: 'stop' }, { label: 'Show', choice: 'show' }]
		: [
			{ label: 'Allow', choice: 'allow' },
			{ label: 'Deny…', choice: 'deny' },
			prompt.diffable ? { label: 'Show Diff', choice: 'showDiff' } : { label: 'Show', choice: 'show' },
			{ label: 'Always…', choice: 'always' },
		];
	return { message, buttons };
}

/** Secret shapes masked wherever input is shown: provider keys, tokens, passwords in assignments, private keys. */
const secretPatterns: RegExp[] = [
	/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
	/\b(?:sk|rk|pk)-(?:ant-|proj-|or-v1-)?[A-Za-z0-9_-]{16,}/g,
	/\b(?:gsk|xai|ghp|gho|ghu|ghs|ghr|glpat|hf|npm)_[A-Za-z0-9_-]{16,}/g,
	/\bgithub_pat_[A-Za-z0-9_]{20,}/g,
	/\bAKIA[0-9A-Z]{16}\b/g,
	/\bAIza[0-9A-Za-z_-]{30,}/g,
	/\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
	/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
];
/**
 * `API_KEY=...`, `password: "..."`, `Authorization: Bearer ...`: the value goes, the name stays. Only literal-looking
 * values (no calls, at least one digit, 6+ characters) so `max_tokens: 4096`-like settings and code reading a secret stay readable.
 */
const secretAssignment = /\b([A-Za-z_]*(?:api[_-]?key|secret|token|passw(?:or)?d|authorization)[A-Za-z_]*)(["']?\s*[:=]\s*["']?)(?:Bearer\s+|Basic\s+)?(?=[A-Za-z0-9_\-./+=~]*[0-9])(?![0-9]+(?:$|[\s"',;]))([A-Za-z0-9_\-./+=~]{6,})(?=$|[\s"',;)])/gim;
const bearer = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

export function maskSecrets(text: string): string {
	let result = text;
	for (const pattern of secretPatterns) {
		result = result.replace(pattern, '«secret»');
	}
	result = result.replace(secretAssignment, (match: string, name: string, separator: string, value: string) => value === '«secret»' ? match : `${name}${separator}«secret»`);
	return result.replace(bearer, '$1 «secret»');
}

interface Edit { before: string; after: string }

function editsOf(input: Record<string, unknown>): Edit[] {
	const one = (record: Record<string, unknown>): Edit | undefined => {
		const before = stringField(record, 'old_string', 'oldText', 'old_text', 'oldString', 'old', 'search', 'find');
		const after = stringField(record, 'new_string', 'newText', 'new_text', 'newString', 'new', 'replace', 'replacement');
		return before === undefined && after === undefined ? undefined : { before: before ?? '', after: after ?? '' };
	};
	const list = Array.isArray(input.edits) ? input.edits.filter(isRecord).map(one).filter((e): e is Edit => e !== undefined) : [];
	const single = one(input);
	return single ? [single, ...list] : list;
}

/**
 * The file as a write or edit request would leave it, from its text now: a write's content, or each edit's text
 * replaced in turn (every occurrence with `replace_all`); undefined when an edit's text is not in the file.
 */
export function proposedText(tool: string, input: Record<string, unknown>, current: string): string | undefined {
	if (tool.toLowerCase() === 'write') {
		return stringField(input, 'content', 'text') ?? '';
	}
	let text = current;
	for (const edit of editsOf(input)) {
		if (edit.before === '' ? text !== '' : !text.includes(edit.before)) {
			return undefined;
		}
		text = edit.before === '' ? edit.after : input.replace_all === true ? text.split(edit.before).join(edit.after) : text.replace(edit.before, () => edit.after);
	}
	return text;
}

function diffText(edits: Edit[]): string {
	const prefix = (text: string, mark: string): string[] => text === '' ? [] : text.split('\n').map(line => `${mark} ${line}`);
	return edits.map(edit => [...prefix(edit.before, '-'), ...prefix(edit.after, '+')].join('\n')).join('\n…\n');
}

/** At most 60 lines and 6,000 characters, saying how much was left out. */
function clip(text: string): string {
	const lines = text.split('\n');
	let result = lines.slice(0, maxPreviewLines).join('\n');
	if (result.length > maxPreviewChars) {
		result = result.slice(0, maxPreviewChars);
	}
	const hiddenLines = lines.length - result.split('\n').length;
	return hiddenLines > 0 ? `${result}\n… ${hiddenLines} more ${hiddenLines === 1 ? 'line' : 'lines'}` : result.length < text.length ? `${result}…` : result;
}

function oneLine(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > maxTitleChars ? `${flat.slice(0, maxTitleChars - 1)}…` : flat;
}

function stringField(record: Record<string, unknown>, ...names: string[]): string | undefined {
	for (const name of names) {
		const value = record[name];
		if (typeof value === 'string') {
			return value;
		}
	}
	return undefined;
}

function numberField(record: Record<string, unknown>, name: string): number | undefined {
	const value = record[name];
	return typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A tool's name as the user reads it. An MCP tool's wire name (`mcp__<server>__<tool>`, what grants and the model use)
 * reads as the tool's own name and its server's: "confirm (MCP server loopback-remote)".
 */
export function toolTitle(name: string): string {
	const mcp = /^mcp__([a-z0-9][a-z0-9-]*)__(.+)$/.exec(name);
	return mcp ? `${mcp[2]} (MCP server ${mcp[1]})` : name;
}
