import type { MentionItem } from '../shared/panelMessages';
import type { Attachment } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { ServerList } from './serverList';

/** A larger resource is refused, as a file that large is (panel/attachments.ts). */
const maxChars = 256 * 1024;

/**
 * The `@` menu's MCP resources: those of every enabled MCP server (`mcp/resources`), named by the resource's title
 * and its server's; one chosen is read (`mcp/readResource`) and attached as text the model sees under those names.
 */
export class McpMentions {
	private readonly _list = new ServerList<MentionItem>(async () => (await this._sidecar.request('mcp/resources')).resources
		.map(r => ({ kind: 'mcpResource', label: r.title || r.name, description: r.serverTitle, server: r.server, uri: r.uri })));

	constructor(private readonly _sidecar: Sidecar) {}

	/** The resources listed so far: a slow server's come with a later keystroke, an unreachable one's not at all. */
	items(): Promise<MentionItem[]> {
		return this._list.items();
	}

	async attachment(item: MentionItem): Promise<Attachment> {
		if (!item.server || !item.uri) {
			throw new Error(`${item.label} is not an MCP resource.`);
		}
		const read = await this._sidecar.request('mcp/readResource', { server: item.server, uri: item.uri });
		const name = `${read.serverTitle}: ${item.label}`.replace(/[\\/]/g, '-');
		if (read.text.length > maxChars) {
			throw new Error(`${name} is ${Math.round(read.text.length / 1024)} KB; attachments are limited to ${maxChars / 1024} KB.`);
		}
		return { kind: 'file', path: name, content: read.text, language: languageOf(read.mimeType) };
	}
}

/** The language a resource's text is shown and sent as. */
function languageOf(mimeType: string | undefined): string {
	const subtype = mimeType?.split(';')[0]?.split('/')[1] ?? '';
	return subtype === 'markdown' ? 'markdown' : subtype === 'json' || subtype.endsWith('+json') ? 'json' : subtype === 'html' ? 'html' : 'plaintext';
}
