import type { TemplateLooks } from '../../src/shared/settingsMessages';
import { el, icon } from '../dom';

/** A codicon name (`server`, `comment-discussion`); anything else is shown as text (an emoji). */
const codiconName = /^[a-z][a-z0-9-]*$/;
const hexColor = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A template's icon in its own colour. Without an icon, a codicon in the theme's colour; in a high-contrast theme the
 * theme's colour always (settings.css), since a template's colour was chosen for an ordinary background.
 */
export function templateIcon(looks: TemplateLooks, fallback = 'symbol-field'): HTMLElement {
	const name = looks.icon ?? fallback;
	const element = codiconName.test(name) ? icon(name) : el('span', 'template-emoji', name);
	element.classList.add('template-icon');
	element.setAttribute('aria-hidden', 'true');
	// settings.css gives high-contrast themes the theme's colour instead, also when the theme changes later.
	if (looks.color && hexColor.test(looks.color)) {
		element.style.color = looks.color;
	}
	return element;
}

/** The fallback icon of the shipped kinds of record. */
export function fallbackIcon(templateId: string): string {
	return ({ 'llm-provider': 'server', 'ai-chat': 'comment-discussion', 'mcp-server': 'plug' } as Record<string, string>)[templateId]
		?? (templateId.startsWith('task') ? 'tasklist' : 'symbol-field');
}
