import type { Session } from '../src/shared/protocol';
import { formatTokens } from '../src/shared/format';
import { el, icon } from './dom';

/** Where the header starts to warn: while there is still room to fork or start afresh. */
const warnAt = 0.8;

/**
 * How full the model's context window is: a bar and "6% of context", from the latest turn's prompt tokens and the
 * session's context window. From 80% it turns into a warning saying what to do; hidden while the window is unknown.
 */
export class ContextFill {
	readonly element = el('span', 'context-fill');
	private readonly _fill = el('span', 'context-bar-fill');
	private readonly _text = el('span', 'context-text');
	private readonly _warning = icon('warning');

	constructor() {
		const bar = el('span', 'context-bar');
		bar.append(this._fill);
		bar.setAttribute('aria-hidden', 'true');
		this.element.setAttribute('role', 'meter');
		this.element.setAttribute('aria-valuemin', '0');
		this.element.setAttribute('aria-valuemax', '100');
		this.element.append(this._warning, bar, this._text);
		this.element.hidden = true;
	}

	render(session: Pick<Session, 'contextWindow' | 'contextTokens'>): void {
		const window = session.contextWindow;
		this.element.hidden = !window;
		if (!window) {
			return;
		}
		const share = Math.min(1, Math.max(0, session.contextTokens / window));
		const percent = Math.round(share * 100);
		const full = share >= warnAt;
		this._fill.style.width = `${percent}%`;
		this._text.textContent = `${percent}% of context`;
		this._warning.hidden = !full;
		this.element.classList.toggle('context-warning', full);
		this.element.setAttribute('aria-valuenow', String(percent));
		const used = `${formatTokens(session.contextTokens)} of the model's ${formatTokens(window)} tokens of context`;
		this.element.setAttribute('aria-label', `Context: ${percent}% full`);
		this.element.title = full
			? `This chat fills ${percent}% of the model's context window (${used}): the next turns may be cut. Fork from an earlier message or start a new chat.`
			: `The latest turn sent ${used}.`;
	}
}
