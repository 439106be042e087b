import type { AutoApprovedRow } from '../src/shared/panelMessages';
import { button, el, icon } from './dom';
import { post } from './vscodeApi';

/**
 * What runs without asking in this chat here, above the composer: the mode's tools, this workspace's grants and this
 * chat's, each with where it holds. A grant is revoked from its row (the next such call asks again); a mode's row
 * offers the mode picker, since a mode is changed, not revoked. Closed until asked; hidden when nothing runs unasked.
 */
export class AutoApprovedList {
	readonly element = el('details', 'auto-approved');
	private readonly _summary = el('summary');
	private readonly _rows = el('div', 'auto-approved-rows');

	constructor() {
		this.element.hidden = true;
		this.element.append(this._summary, this._rows);
	}

	render(rows: AutoApprovedRow[]): void {
		this.element.hidden = rows.length === 0;
		this._summary.replaceChildren(icon('shield'), el('span', undefined, `Runs without asking here (${rows.length})`));
		this._rows.replaceChildren(...rows.map(row => this.row(row)));
	}

	private row(row: AutoApprovedRow): HTMLElement {
		const line = el('div', 'auto-approved-row');
		line.setAttribute('role', 'group');
		line.setAttribute('aria-label', `${row.what}, ${row.where}`);
		line.append(el('code', 'auto-approved-what', row.what), el('span', 'auto-approved-where', row.where));
		line.append(row.grantId
			? button('trash', `Revoke: ${row.what} ${row.where} (it asks again)`, () => post({ type: 'revokeGrant', id: row.grantId! }), { text: 'Revoke', className: 'auto-approved-revoke' })
			: button('symbol-enum', 'Change the chat\'s mode', () => post({ type: 'pickMode' }), { text: 'Change mode…', className: 'auto-approved-mode' }));
		return line;
	}
}
