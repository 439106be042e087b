/**
 * The settings webview's entry: the home or one record's form, as the body's `data-target` says, drawn from
 * what the host sends (settings/SettingsPanel). Only the shared message types cross; secrets never come back.
 */
import '@vscode/codicons/dist/codicon.css';
import './settings.css';
import type { SettingsHostMessage } from '../../src/shared/settingsMessages';
import { button, el } from '../dom';
import { FormView } from './form';
import { renderHome } from './home';
import { post, vscode } from './settingsApi';

const target = document.body.dataset.target ?? 'home';
vscode.setState({ target });
const banner = el('div', 'settings-banner');
banner.hidden = true;
const content = el('main', 'settings-content');
document.getElementById('app')?.append(banner, content);

function showBanner(text: string | undefined, kind: 'error' | 'info' = 'info', actions: HTMLElement[] = []): void {
	banner.replaceChildren();
	banner.hidden = text === undefined;
	banner.className = `settings-banner ${kind === 'error' ? 'banner-error' : 'banner-info'}`;
	banner.setAttribute('role', kind === 'error' ? 'alert' : 'status');
	if (text !== undefined) {
		banner.append(el('span', 'banner-text', text), ...actions);
	}
}

const form = new FormView(showBanner);

/**
 * The drop-down open in the page, if any: a select's list or a box's suggestions (a datalist), open from a click or
 * typing in it until a choice, Escape or leaving it. Escape closes it, and only it.
 */
let openDropDown: EventTarget | null = null;
const hasDropDown = (t: EventTarget | null): t is HTMLElement => t instanceof HTMLElement && t.matches('select, input[list]');
document.addEventListener('mousedown', e => openDropDown = hasDropDown(e.target) ? e.target : null);
document.addEventListener('input', e => openDropDown = hasDropDown(e.target) && e.target instanceof HTMLInputElement ? e.target : null);
document.addEventListener('change', () => openDropDown = null);
document.addEventListener('focusout', () => openDropDown = null);

// Escape anywhere in the page: the form asks before it drops unsaved input, or closes; the home closes.
document.addEventListener('keydown', e => {
	if (e.key !== 'Escape' || e.defaultPrevented) {
		return;
	}
	if (openDropDown !== null && openDropDown === e.target) {
		openDropDown = null;
		return;
	}
	e.preventDefault();
	if (content.firstChild === form.element) {
		form.cancel();
	} else {
		post({ type: 'close' });
	}
});

/** What each of the host's messages does. */
const handlers: { [K in SettingsHostMessage['type']]: (message: Extract<SettingsHostMessage, { type: K }>) => void } = {
	form: ({ form: model, keepEdits }) => {
		const first = content.firstChild !== form.element;
		form.render(model, keepEdits === true && !first);
		content.replaceChildren(form.element);
		if (first) {
			showBanner(undefined);
			form.element.querySelector<HTMLElement>('input:not([disabled]), select:not([disabled]), textarea:not([disabled])')?.focus();
		}
	},
	home: ({ groups, tags, tag }) => content.replaceChildren(renderHome(groups, tags, tag)),
	errors: ({ fields, message }) => form.showErrors(fields, message),
	conflict: ({ message }) => showBanner(message, 'error', [
		button('refresh', 'Reload the record (drops your changes)', () => post({ type: 'reload' }), { text: 'Reload', className: 'secondary-button' }),
		button('save', 'Save your changes over the other one', () => form.save(true), { text: 'Overwrite', className: 'secondary-button' }),
	]),
	busy: ({ busy }) => { form.busy = busy; },
	secretSet: ({ field, ref }) => form.secretStored(field, ref),
	fileChosen: ({ slot, value }) => form.fileChosen(slot, value),
	models: ({ instance, models }) => form.models(instance, models),
	notice: ({ text, error }) => showBanner(text, error ? 'error' : 'info'),
};

window.addEventListener('message', (event: MessageEvent<SettingsHostMessage>) => {
	const message = event.data;
	(handlers[message.type] as ((m: SettingsHostMessage) => void) | undefined)?.(message);
});

// A stylesheet that failed to load leaves a page without styles: the host renders it again.
if (getComputedStyle(document.documentElement).getPropertyValue('--plue-styles').trim() !== 'loaded') {
	post({ type: 'assetsFailed' });
} else {
	post({ type: 'ready' });
}
