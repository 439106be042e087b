import DOMPurify from 'dompurify';
import { Marked, Renderer, Tokens } from 'marked';
import { button, el, icon } from './dom';
import { highlightCode } from './highlight';
import { post } from './vscodeApi';

/**
 * Model text → safe DOM: marked (raw HTML escaped, images as links) then
 * DOMPurify, then code blocks get Copy / Insert at Cursor / Apply and their colours
 * (highlight.ts). Links are opened by
 * the host (see the click handler in chat.ts), never by the webview.
 */
const marked = new Marked({
	gfm: true,
	renderer: {
		// Raw HTML in a model's text is shown as text, not interpreted.
		html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
		// No remote content: an image becomes a link the user can choose to open.
		image: (token: Tokens.Image) => `<a href="${escapeHtml(token.href)}">${escapeHtml(token.text || token.href)}</a>`,
		// The info string's language, and the file it may name after it ("ts src/app.ts"): Apply's target, kept in the title.
		code: (token: Tokens.Code) => {
			const info = token.lang ?? '';
			const lang = info.match(/^[\w+#.-]*/)?.[0] ?? '';
			const file = namedFile(info.slice(lang.length));
			return `<pre${file ? ` title="${escapeHtml(file)}"` : ''}><code${lang ? ` class="language-${escapeHtml(lang)}"` : ''}>${escapeHtml(token.text)}</code></pre>`;
		},
		// A checklist keeps its boxes: the default <input> is no content a webview keeps (sanitised away, and the steps
		// would read as plain bullets), so each box is an icon with its state in words.
		checkbox: ({ checked }: Tokens.Checkbox) => `<span class="codicon codicon-${checked ? 'pass-filled task-done' : 'circle-large-outline'} task-box" role="img" aria-label="${checked ? 'done' : 'not done'}"></span> `,
		// A list of checklist lines only is marked, so a message whose checklist became a plan card shows it once.
		list(this: Renderer<string>, token: Tokens.List): string {
			const html = (Renderer.prototype as Renderer<string>).list.call(this, token);
			return token.items.length > 0 && token.items.every(item => item.task) ? html.replace(/^<(ul|ol)/, '<$1 class="task-list"') : html;
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
	const file = pre.title || undefined;
	pre.removeAttribute('title');
	bar.append(
		el('span', 'code-lang', file ? `${lang} · ${file}` : lang),
		copyButton(source),
		button('insert', 'Insert code at cursor', () => post({ type: 'insert', text: source() }), { text: 'Insert' }),
		button('diff', file ? `Apply to ${file}: review it in a diff, then accept or reject` : 'Apply to the active editor (the selection, or the whole file): review it in a diff, then accept or reject',
			() => post(file ? { type: 'apply', text: source(), path: file } : { type: 'apply', text: source() }), { text: 'Apply' }),
	);
	pre.replaceWith(block);
	block.append(bar, pre);
	if (code) {
		highlightCode(code, lang);
	}
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

/** A file named after a code block's language: "ts src/a.ts", "ts:src/a.ts", "ts title=\"src/a.ts\"" (file=, path= too). */
function namedFile(rest: string): string | undefined {
	const name = /^[:\s]+(?:(?:title|file|path|filename)=)?"?([^\s"]+)"?/.exec(rest)?.[1];
	return name && /[./]/.test(name) ? name : undefined;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
