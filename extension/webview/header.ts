import type { Session } from '../src/shared/protocol';
import { describeCostSources, formatCost, formatTokens, isCostUnknown, withoutSandboxMark } from '../src/shared/format';
import { ContextFill } from './contextFill';
import { button, el, icon } from './dom';
import type { TemplateLooks } from '../src/shared/settingsMessages';
import { templateIcon } from './settings/looks';
import { post } from './vscodeApi';

/** The panel's header: the chat's title, its tokens, context fill and cost. The model is the composer's dropdown. */
export class Header {
	readonly element = el('header', 'chat-header');
	/** The chat's own settings (system prompt, context files, tools, reasoning, limits), in the settings panel. */
	private readonly _settings = button('settings-gear', 'Chat settings: system prompt, context files, tools, reasoning, limits', () => post({ type: 'openSettings' }), { className: 'icon-button chat-settings' });
	private readonly _title = el('h1', 'chat-title', 'Chat');
	private _icon: HTMLElement = templateIcon({}, 'comment-discussion');
	private readonly _tokens = el('span', 'chat-tokens');
	private readonly _context = new ContextFill();
	private readonly _cost = el('span', 'chat-cost');
	/** The sandbox the chat's commands run under in its mode: a lock, its policy in words on hover and to readers. */
	private readonly _sandbox = el('span', 'chat-sandbox');

	constructor() {
		const usage = el('div', 'chat-usage');
		usage.append(this._tokens, this._context.element, this._cost, this._sandbox);
		this._sandbox.hidden = true;
		// The title is the chat's first question until renamed: a click (or Enter) renames it.
		this._title.tabIndex = 0;
		this._title.title = 'Rename the chat';
		this._title.addEventListener('click', () => post({ type: 'rename' }));
		this._title.addEventListener('keydown', e => e.key === 'Enter' && post({ type: 'rename' }));
		this.element.append(this._icon, this._title, usage, this._settings);
	}

	render(session: Session, looks: TemplateLooks = {}, sandboxPolicy?: string): void {
		this.showSandbox(sandboxPolicy);
		const icon = templateIcon(looks, 'comment-discussion');
		this._icon.replaceWith(icon);
		this._icon = icon;
		this._title.textContent = session.title || session.slug;
		// Usage input already counts cache reads and writes; the context is what the latest turn sent.
		const { input, output } = session.usage;
		this._tokens.textContent = `${formatTokens(input)} in · ${formatTokens(output)} out`;
		this._tokens.title = 'Tokens of every turn of this chat, replaced replies included';
		this._context.render(session);
		this._cost.textContent = formatCost(session.costUsd, session.costSources);
		this._cost.classList.toggle('cost-unknown', isCostUnknown(session.costUsd));
		// Money spent stays spent: replies an edit or a regenerate replaced are in the total.
		this._cost.title = `Spent in this chat, replaced replies included. ${describeCostSources(session.costSources)}`;
	}

	private showSandbox(policy: string | undefined): void {
		this._sandbox.hidden = !policy;
		if (!policy) {
			return;
		}
		const unconfined = policy.endsWith('(not sandboxed)');
		const said = unconfined ? `Commands run without the sandbox: ${withoutSandboxMark(policy)}` : `Commands run in the sandbox: ${policy}`;
		// The policy's name alone: "Workspace write", not what follows it.
		this._sandbox.replaceChildren(icon(unconfined ? 'unlock' : 'lock'), el('span', 'chat-sandbox-name', policy.replace(/(, which| \().*$/, '')));
		this._sandbox.classList.toggle('chat-sandbox-off', unconfined);
		this._sandbox.title = said;
		this._sandbox.setAttribute('aria-label', said);
		this._sandbox.setAttribute('role', 'note');
	}
}
