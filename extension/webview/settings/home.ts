/** The settings home: each template's records, with Open on each and New (or the feature's own command) per template. */
import type { HomeGroup } from '../../src/shared/settingsMessages';
import { button, el } from '../dom';
import { fallbackIcon, templateIcon } from './looks';
import { post } from './settingsApi';

export function renderHome(groups: HomeGroup[], tags: string[], tag: string | undefined): HTMLElement {
	const main = el('div', 'settings-home');
	const header = el('header', 'settings-header');
	const heading = el('h1', 'settings-heading');
	heading.append(templateIcon({ icon: 'settings-gear' }), document.createTextNode(' Plue Settings'));
	header.append(heading, el('p', 'settings-meta', 'Providers, chats, tasks, MCP servers and the records of your own templates. Each opens as a form.'));
	const refresh = button('refresh', 'Refresh the lists', () => post({ type: 'refresh' }), { text: 'Refresh', className: 'secondary-button' });
	const tools = el('div', 'settings-header-actions');
	tools.append(...tagFilter(tags, tag), refresh);
	header.append(tools);
	main.append(header);
	if (tag && groups.length === 0) {
		main.append(el('p', 'home-empty', `No record is tagged ${tag}.`));
	}
	for (const group of groups) {
		main.append(renderGroup(group));
	}
	return main;
}

/** A drop-down of the records' tags: picking one lists only the records with it. */
function tagFilter(tags: string[], tag: string | undefined): HTMLElement[] {
	if (tags.length === 0 && !tag) {
		return [];
	}
	const select = el('select', 'home-tag-filter');
	select.setAttribute('aria-label', 'Show only the records with a tag');
	const all = el('option', undefined, 'All tags');
	all.value = '';
	select.append(all, ...[...new Set([...tags, ...(tag ? [tag] : [])])].map(t => {
		const option = el('option', undefined, `Tagged ${t}`);
		option.value = t;
		option.selected = t === tag;
		return option;
	}));
	select.addEventListener('change', () => post({ type: 'filterTag', tag: select.value || undefined }));
	return [select];
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
		if (record.tags.length > 0) {
			const chips = el('span', 'home-record-tags');
			chips.append(...record.tags.map(t => button('tag', `Show only the records tagged ${t}`, () => post({ type: 'filterTag', tag: t }), { text: t, className: 'home-tag' })));
			item.append(chips);
		}
		list.append(item);
	}
	section.append(list);
	if (group.more) {
		section.append(el('p', 'home-empty', 'Only the latest are listed.'));
	}
	return section;
}
