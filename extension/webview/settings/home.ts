/** The settings home: each template's records, with Open on each and New (or the feature's own command) per template. */
import type { HomeGroup } from '../../src/shared/settingsMessages';
import { button, el } from '../dom';
import { fallbackIcon, templateIcon } from './looks';
import { post } from './settingsApi';

export function renderHome(groups: HomeGroup[]): HTMLElement {
	const main = el('div', 'settings-home');
	const header = el('header', 'settings-header');
	const heading = el('h1', 'settings-heading');
	heading.append(templateIcon({ icon: 'settings-gear' }), document.createTextNode(' Plue Settings'));
	header.append(heading, el('p', 'settings-meta', 'Providers, chats, tasks, MCP servers and the records of your own templates. Each opens as a form.'));
	const refresh = button('refresh', 'Refresh the lists', () => post({ type: 'refresh' }), { text: 'Refresh', className: 'secondary-button' });
	const tools = el('div', 'settings-header-actions');
	tools.append(refresh);
	header.append(tools);
	main.append(header);
	for (const group of groups) {
		main.append(renderGroup(group));
	}
	return main;
}

function renderGroup(group: HomeGroup): HTMLElement {
	const section = el('section', 'home-group');
	const headingId = `group-${group.templateId}`;
	section.setAttribute('aria-labelledby', headingId);
	const top = el('div', 'home-group-top');
	const heading = el('h2', 'home-group-title');
	heading.id = headingId;
	heading.append(templateIcon(group.looks, fallbackIcon(group.templateId)), document.createTextNode(` ${group.name}`));
	const create = button('add', `${group.newLabel}: ${group.name}`, () => post({ type: 'new', templateId: group.templateId }), { text: group.newLabel, className: 'secondary-button' });
	top.append(heading, create);
	section.append(top, el('p', 'settings-meta', group.description));
	if (group.records.length === 0) {
		section.append(el('p', 'home-empty', 'None yet.'));
		return section;
	}
	const list = el('ul', 'home-records');
	for (const record of group.records) {
		const item = el('li', 'home-record');
		const open = el('button', 'home-record-open');
		open.type = 'button';
		open.setAttribute('aria-label', `Open ${record.title} (${group.name})`);
		open.append(el('span', 'home-record-title', record.title), el('span', 'home-record-detail', record.detail));
		open.addEventListener('click', () => post({ type: 'open', id: record.id }));
		item.append(open);
		list.append(item);
	}
	section.append(list);
	if (group.more) {
		section.append(el('p', 'home-empty', 'Only the latest are listed.'));
	}
	return section;
}
