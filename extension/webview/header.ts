import type { Session } from '../src/shared/protocol';
import { describeCostSources, formatCost, formatTokens, isCostUnknown } from '../src/shared/format';
import { ContextFill } from './contextFill';
import { button, el } from './dom';
import type { TemplateLooks } from '../src/shared/settingsMessages';
import { templateIcon } from './settings/looks';
import { post } from './vscodeApi';

/** The panel's header: title, the instance/model picker, tokens and cost. */
export class Header {
	readonly element = el('header', 'chat-header');
	private readonly _title = el('h1', 'chat-title', 'Chat');
	private _icon: HTMLElement = templateIcon({}, 'comment-discussion');
	private readonly _model = button('chevron-down', 'Change the model', () => post({ type: 'pickModel' }), { text: '…', className: 'model-button' });
	private readonly _tokens = el('span', 'chat-tokens');
	private readonly _context = new ContextFill();
	private readonly _cost = el('span', 'chat-cost');
	/** The chat's own settings (system prompt, context files, tools, reasoning, limits), in the settings panel. */
	private readonly _settings = button('settings-gear', 'Chat settings: system prompt, context files, tools, reasoning, limits', () => post({ type: 'openSettings' }), { className: 'icon-button chat-settings' });

	constructor() {
		const usage = el('div', 'chat-usage');
		usage.append(this._tokens, this._context.element, this._cost);
		this._model.hidden = true;
		// The title is the chat's first question until renamed: a click (or Enter) renames it.
		this._title.tabIndex = 0;
		this._title.title = 'Rename the chat';
		this._title.addEventListener('click', () => post({ type: 'rename' }));
		this._title.addEventListener('keydown', e => e.key === 'Enter' && post({ type: 'rename' }));
		this.element.append(this._icon, this._title, this._model, usage, this._settings);
	}

	render(session: Session, instanceName: string | undefined, looks: TemplateLooks = {}): void {
		const icon = templateIcon(looks, 'comment-discussion');
		this._icon.replaceWith(icon);
		this._icon = icon;
		this._title.textContent = session.title || session.slug;
		this._model.hidden = false;
		const model = `${instanceName ?? session.instanceId} · ${session.modelId}`;
		const text = this._model.querySelector('.button-text');
		if (text) {
			text.textContent = model;
		}
		this._model.setAttribute('aria-label', `Model: ${model}. Change the model`);
		this._model.title = 'Change the instance and model';
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
}
