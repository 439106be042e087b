/**
 * The chat and task panels' HTML. No imports, so the webview test can load the same
 * page outside VS Code. Strict CSP: only our bundle (by nonce) runs, styles and
 * fonts come from the extension, and images only from data: URIs, which is how
 * attached images are shown (the sanitizer turns a model's images into links).
 */
/** A chat session, an agent task's transcript (steered, not chatted with), or a new task's goal (the composer alone). */
export type PanelKind = 'chat' | 'task' | 'goal';

export interface PanelHtmlOptions {
	/** `webview.cspSource`. */
	cspSource: string;
	nonce: string;
	scriptUri: string;
	styleUri: string;
	/** Kept by the webview with `setState` at once, so VS Code can restore the panel even if it never loaded. */
	sessionId: string;
	/** Default `chat`. */
	kind?: PanelKind;
}

/** The policy every Plue webview page has: our bundle by nonce, the extension's styles and fonts, data: images. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	return [
		`default-src 'none'`,
		`script-src 'nonce-${nonce}'`,
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`font-src ${cspSource}`,
		`img-src data:`,
	].join('; ');
}

export function panelHtml(o: PanelHtmlOptions): string {
	const kind = o.kind ?? 'chat';
	return webviewPage({ ...o, title: { chat: 'Plue Chat', task: 'Plue Task', goal: 'Plue: New Task' }[kind], body: { 'session-id': o.sessionId, kind } });
}

/** What any Plue webview page is made of: its bundle and stylesheet, a title, and `data-*` attributes on the body. */
export interface WebviewPageOptions {
	cspSource: string;
	nonce: string;
	scriptUri: string;
	styleUri: string;
	title: string;
	/** `data-<name>` attributes of the body: what the page reads to know what it shows. */
	body: Record<string, string>;
}

/** A page under the shared policy: one `#app` element, the stylesheet and script by nonce. */
export function webviewPage(o: WebviewPageOptions): string {
	const data = Object.entries(o.body).map(([name, value]) => ` data-${name}="${escapeAttribute(value)}"`).join('');
	return `<!DOCTYPE html>
<html lang="en">
<head>
	<meta charset="UTF-8">
	<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(o.cspSource, o.nonce)}">
	<meta name="viewport" content="width=device-width, initial-scale=1.0">
	<link rel="stylesheet" href="${o.styleUri}" nonce="${o.nonce}">
	<title>${o.title}</title>
</head>
<body${data}>
	<div id="app"></div>
	<script nonce="${o.nonce}" src="${o.scriptUri}"></script>
</body>
</html>`;
}

/** A fresh random nonce for each page. */
export function makeNonce(): string {
	const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let nonce = '';
	for (let i = 0; i < 32; i++) {
		nonce += chars.charAt(Math.floor(Math.random() * chars.length));
	}
	return nonce;
}

function escapeAttribute(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
