import DOMPurify from 'dompurify';
import { Marked, Tokens } from 'marked';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * Model text → safe DOM: marked (raw HTML escaped, images as links) then
 * DOMPurify, then code blocks get Copy / Insert at Cursor. Links are opened by
 * the host (see the click handler in chat.ts), never by the webview.
 */
const marked = new Marked({
	gfm: true,
	renderer: {
		// Raw HTML in a model's text is shown as text, not interpreted.
		html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
		// No remote content: an image becomes a link the user can choose to open.
		image: (token: Tokens.Image) => `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`,
		code: (token: Tokens.Code) => {
			const lang = (token.lang ?? '').match(/^[\w+#.-]*/)?.[0] ?? '';
			return `<pre><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(token.text)}</code></pre>`;
		},
	},
});

const purifyConfig = {
	FORBID_TAGS: ['style', 'img', 'svg', 'math', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'link', 'meta', 'base'],
	FORBID_ATTR: ['style', 'srcset', 'action', 'formaction'],
	ALLOW_DATA_ATTR: false,
};

/** Replaces `target`'s content with the rendered markdown. */
export function renderMarkdown(target: HTMLElement, text: string): void {
	const html = marked.parse(text, { async: false });
	const fragment = DOMPurify.sanitize(html, { ...purifyConfig, RETURN_DOM_FRAGMENT: true });
	for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
		decorateCodeBlock(pre);
	}
	target.replaceChildren(fragment);
}

function decorateCodeBlock(pre: HTMLPreElement): void {
	const code = pre.querySelector('code');
	const lang = /language-([\w+#.-]+)/.exec(code?.className ?? '')?.[1] ?? '';
	const block = el('div', 'code-block');
	const bar = el('div', 'code-toolbar');
	const source = (): string => (code ?? pre).textContent ?? '';
	bar.append(
		el('span', 'code-lang', lang),
		copyButton(source),
		button('insert', 'Insert code at cursor', () => post({ type: 'insert', text: source() }), { text: 'Insert' }),
	);
	pre.replaceWith(block);
	block.append(bar, pre);
}

/** Copy, which says "Copied" (to the eye and to a screen reader) for a moment after it is pressed. */
function copyButton(source: () => string): HTMLButtonElement {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const copy = button('copy', 'Copy code', () => {
		post({ type: 'copy', text: source() });
		show('check', 'Copied', 'Copied to the clipboard');
		clearTimeout(timer);
		timer = setTimeout(() => show('copy', 'Copy', 'Copy code'), 1500);
	}, { text: 'Copy' });
	copy.setAttribute('aria-live', 'polite');
	const show = (iconName: string, text: string, label: string): void => {
		copy.querySelector('.codicon')?.replaceWith(icon(iconName));
		const span = copy.querySelector('.button-text');
		if (span) {
			span.textContent = text;
		}
		copy.setAttribute('aria-label', label);
		copy.title = label;
	};
	return copy;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
