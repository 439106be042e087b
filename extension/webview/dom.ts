/** Small DOM helpers: elements are built with properties and text, never from HTML strings. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
	const element = document.createElement(tag);
	if (className) {
		element.className = className;
	}
	if (text !== undefined) {
		element.textContent = text;
	}
	return element;
}

export function icon(name: string, spin = false): HTMLElement {
	const span = el('span', `codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`);
	span.setAttribute('aria-hidden', 'true');
	return span;
}

/** A button with a codicon, a visible label (optional) and an accessible name. */
export function button(iconName: string, label: string, onClick: () => void, options: { text?: string; className?: string } = {}): HTMLButtonElement {
	const b = el('button', options.className ?? 'icon-button');
	b.type = 'button';
	b.title = label;
	b.setAttribute('aria-label', label);
	b.append(icon(iconName));
	if (options.text) {
		b.append(el('span', 'button-text', options.text));
	}
	b.addEventListener('click', onClick);
	return b;
}
