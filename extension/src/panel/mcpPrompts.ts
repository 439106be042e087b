import * as vscode from 'vscode';
import type { MentionItem } from '../shared/panelMessages';
import type { McpPromptSummary } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { fuzzyScore } from './mentions';
import { ServerList } from './serverList';

/**
 * The composer's `/` menu: the prompts of every enabled MCP server (`mcp/prompts`), named by their titles and their
 * servers'. One chosen asks for its arguments in input boxes and fills the composer with its messages (`mcp/getPrompt`).
 */
export class McpPrompts {
	private readonly _list = new ServerList<McpPromptSummary>(async () => (await this._sidecar.request('mcp/prompts')).prompts);

	constructor(private readonly _sidecar: Sidecar) {}

	/** The menu for `/query`: the prompts that match, best first. */
	async search(query: string): Promise<MentionItem[]> {
		return (await this._list.items())
			.map(p => ({ item: menuItem(p), score: fuzzyScore(query, p.title || p.name) }))
			.filter(s => s.score > 0)
			.sort((a, b) => b.score - a.score)
			.map(s => s.item);
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
