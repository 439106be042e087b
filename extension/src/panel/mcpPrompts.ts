import * as vscode from 'vscode';
import type { MentionItem } from '../shared/panelMessages';
import type { McpPromptSummary } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { fuzzyScore } from './fuzzyScore';
import { ServerList } from './serverList';

/** The composer's own commands, typed in a chat (composer.ts sends them as they are). */
const builtIn: MentionItem[] = [
	{ kind: 'command', label: '/compact', command: 'compact', description: 'Summarise the conversation now; words after it say what the summary keeps' },
	{ kind: 'command', label: '/system', command: 'system', description: 'Add a system message the next turns read' },
];

/**
 * The composer's `/` menu: `/compact`, `/system`, the used commands from files (`customizations/list`: Claude Code's
 * commands, Copilot's prompt files, opencode's, Codex's; the sidecar sends a chosen one's body), then the prompts of
 * every enabled MCP server (`mcp/prompts`), named by their titles and their servers'. An MCP prompt chosen asks for its
 * arguments in input boxes and fills the composer with its messages (`mcp/getPrompt`); a command fills `/name `.
 */
export class McpPrompts {
	private readonly _list = new ServerList<McpPromptSummary>(async () => (await this._sidecar.request('mcp/prompts')).prompts);

	constructor(private readonly _sidecar: Sidecar) {}

	/**
	 * The menu for `/query`: the commands, then the prompts, that match, best first. `/compact` and `/system` only for a
	 * chat (`chat`): a task's goal and its messages have no such commands.
	 */
	async search(query: string, chat = true): Promise<MentionItem[]> {
		const [files, prompts] = await Promise.all([this.commandFiles(), this._list.items()]);
		const commands = [...(chat ? builtIn : []), ...files]
			.map(item => ({ item, score: query ? fuzzyScore(query, item.command ?? '') : 1 }));
		const fromServers = prompts.map(p => ({ item: menuItem(p), score: fuzzyScore(query, p.title || p.name) }));
		const best = (list: { item: MentionItem; score: number }[]) => list.filter(s => s.score > 0).sort((a, b) => b.score - a.score).map(s => s.item);
		return [...best(commands), ...best(fromServers)];
	}

	/** The used commands from files, named as typed; none when the list cannot be read (the menu still offers the rest). */
	private async commandFiles(): Promise<MentionItem[]> {
		try {
			const { items } = await this._sidecar.request('customizations/list');
			return items.filter(i => i.kind === 'command' && i.status === 'used')
				.map(i => ({ kind: 'command' as const, label: `/${i.name}`, command: i.name, description: i.description }));
		} catch {
			return [];
		}
	}

	/** What a chosen command puts in the composer: `/name ` for its arguments. */
	static commandText(item: MentionItem): string {
		return `/${item.command ?? ''} `;
	}

	/** The prompt's messages as the composer's text; undefined when the user dismissed an argument's box. */
	async text(item: MentionItem): Promise<string | undefined> {
		const prompt = (await this._list.all()).find(p => p.server === item.server && p.name === item.prompt);
		if (!prompt || !item.server) {
			throw new Error(`The prompt ${item.label} is gone from its MCP server: type / again to see what it offers now.`);
		}
		const values: Record<string, string> = {};
		for (const [index, argument] of prompt.arguments.entries()) {
			const label = argument.title || argument.name;
			const value = await vscode.window.showInputBox({
				title: `${prompt.serverTitle}: ${item.label} (${index + 1}/${prompt.arguments.length})`,
				prompt: argument.description ? `${label}: ${argument.description}` : label,
				placeHolder: argument.required ? `${label} (required)` : `${label} (optional: leave empty)`,
				ignoreFocusOut: true,
				validateInput: text => argument.required && !text.trim() ? `${label} is required.` : undefined,
			});
			if (value === undefined) {
				return undefined;
			}
			if (value.trim()) {
				values[argument.name] = value;
			}
		}
		const got = await this._sidecar.request('mcp/getPrompt', { server: item.server, name: prompt.name, arguments: values });
		return got.messages.map(m => m.role === 'user' ? m.text : `Assistant: ${m.text}`).join('\n\n');
	}
}

function menuItem(prompt: McpPromptSummary): MentionItem {
	const label = prompt.title || prompt.name;
	return { kind: 'mcpPrompt', label, description: prompt.description ? `${prompt.serverTitle} · ${prompt.description}` : prompt.serverTitle, server: prompt.server, prompt: prompt.name };
}
