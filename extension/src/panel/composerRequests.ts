import type { HostMessage, WebviewMessage } from '../shared/panelMessages';
import type { Attachment } from '../shared/protocol';
import { pickAttachmentFile } from './attachments';
import { McpPrompts } from './mcpPrompts';
import { mentionReference, type Mentions } from './mentions';

/**
 * What a composer asks its host for, answered alike in a chat and in a new task's goal: the `@` menu's entries, the
 * chip a mention or a picked file becomes (passed to `attach`, which may refuse it), the `/` menu's MCP prompts and a
 * chosen one's text (a task's input and goal alike: `chat` false leaves out the chat's own `/compact` and `/system`).
 * Undefined for other messages.
 */
export function composerRequest(mentions: Mentions, message: WebviewMessage, post: (message: HostMessage) => void, attach: (attachment: Attachment | undefined, mention?: string) => void, chat = true): (() => Promise<void>) | undefined {
	switch (message.type) {
		case 'addFile':
			return async () => attach(await pickAttachmentFile());
		case 'mentionSearch':
			return async () => post({ type: 'mentionResults', query: message.query, items: await mentions.search(message.query) });
		case 'mention':
			return async () => {
				const attachment = await mentions.pick(message.item);
				attach(attachment, attachment && mentionReference(message.item, attachment));
			};
		case 'promptSearch':
			return async () => post({ type: 'promptResults', query: message.query, items: await mentions.prompts.search(message.query, chat) });
		case 'usePrompt':
			return async () => {
				if (message.item.kind === 'command') {
					post({ type: 'promptText', text: McpPrompts.commandText(message.item) });
					return;
				}
				const text = await mentions.prompts.text(message.item);
				if (text !== undefined) {
					post({ type: 'promptText', text });
				}
			};
		default:
			return undefined;
	}
}
