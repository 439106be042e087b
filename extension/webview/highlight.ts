import DOMPurify from 'dompurify';

/** What the highlighter bundle (highlighter.ts) puts on `window`: HTML of spans, or undefined for a language it lacks. */
export interface Highlighter {
	highlight(code: string, lang: string): string | undefined;
}

declare global {
	interface Window {
		plueHighlighter?: Highlighter;
	}
}

// Read while chat.js runs its first lines: the highlighter sits beside it and runs under the same nonce (the CSP).
const chatScript = document.currentScript instanceof HTMLScriptElement ? document.currentScript : undefined;
const waiting = new Map<HTMLElement, string>();
let loading = false;

/**
 * Colours a code block in `lang`, now if the highlighter is loaded, else once it is: the first block asks for it.
 * The colours are the theme's (chat.css maps highlight.js's classes to VS Code's token colours).
 */
export function highlightCode(code: HTMLElement, lang: string): void {
	if (!lang) {
		return;
	}
	const highlighter = window.plueHighlighter;
	if (highlighter) {
		apply(highlighter, code, lang);
		return;
	}
	waiting.set(code, lang);
	load();
}

function load(): void {
	if (loading || !chatScript) {
		return;
	}
	loading = true;
	const script = document.createElement('script');
	script.src = new URL('highlight.js', chatScript.src).toString();
	script.nonce = chatScript.nonce;
	script.addEventListener('load', () => {
		const highlighter = window.plueHighlighter;
		for (const [code, lang] of highlighter ? waiting : []) {
			if (code.isConnected) {
				apply(highlighter as Highlighter, code, lang);
			}
		}
		waiting.clear();
	});
	// A failed load (the webview's resource host can flake) leaves the blocks plain; the next block tries again.
	script.addEventListener('error', () => {
		loading = false;
		script.remove();
	});
	document.head.append(script);
}

function apply(highlighter: Highlighter, code: HTMLElement, lang: string): void {
	const html = highlighter.highlight(code.textContent ?? '', lang);
	if (html === undefined) {
		return;
	}
	// highlight.js escapes the code itself; only its spans and classes are let through all the same.
	code.replaceChildren(DOMPurify.sanitize(html, { ALLOWED_TAGS: ['span'], ALLOWED_ATTR: ['class'], RETURN_DOM_FRAGMENT: true }));
	code.classList.add('hljs');
}
