import * as vscode from 'vscode';
import type { CodexChangedParams, CodexRecord, TemplateSummary } from '../shared/protocol';
import type { HomeGroup, SettingsWebviewMessage } from '../shared/settingsMessages';
import { looksOf } from '../shared/settingsMessages';
import type { SettingsTarget } from './formModel';
import type { SettingsDeps } from './formController';
import type { SettingsController, SettingsPanel } from './settingsPanel';
import { errorText } from '../shared/errorText';

const shownPerGroup = 25;

/**
 * "Plue: Open Settings": the records of every usable template, grouped by template, with New and Open. The groups of
 * the features' kinds come first, in the order they registered (`SettingsKinds`), each with the feature's own New.
 */
export class HomeController implements SettingsController {
	private readonly _subscriptions: vscode.Disposable[];
	/** The tag the home is filtered by (`codex/list {tags}`); undefined: every record. */
	private _tag: string | undefined;
	/** The tags seen on the records listed without a filter, offered as filters. */
	private _tags: string[] = [];
	/** The groups as last drawn, which a change is applied to. */
	private _groups: HomeGroup[] = [];
	/** A record changed while the home was hidden: drawn when it is looked at again. */
	private _stale = false;

	constructor(private readonly _panel: SettingsPanel, private readonly _deps: SettingsDeps, private readonly _open: (target: SettingsTarget) => void) {
		this._subscriptions = [
			_deps.sidecar.onNotification('templates/changed', () => void this.load()),
			_deps.sidecar.onDidStart(() => void this.load()),
			// A record made, changed or deleted anywhere (a form, a command, another window) is applied to its group as
			// the feed tells it, with no read; drawn at once, or when the hidden home is looked at again.
			_deps.sidecar.onNotification('codex/changed', change => this.changed(change)),
			_panel.panel.onDidChangeViewState(e => {
				if (e.webviewPanel.visible && this._stale) {
					this.draw();
				}
			}),
		];
	}

	async handle(message: SettingsWebviewMessage): Promise<void> {
		if (message.type === 'open') {
			this._open({ kind: 'record', id: message.id });
		} else if (message.type === 'new') {
			await this.create(message.templateId);
		} else if (message.type === 'close') {
			this._panel.dispose();
		} else if (message.type === 'ready' || message.type === 'refresh') {
			await this.load();
		} else if (message.type === 'filterTag') {
			this._tag = message.tag || undefined;
			await this.load();
		}
	}

	private changed(change: CodexChangedParams): void {
		const group = this._groups.find(g => g.templateId === change.templateId);
		if (!group) {
			return;
		}
		const others = group.records.filter(r => r.id !== change.id);
		const shown = change.record && (!this._tag || change.record.tags.includes(this._tag)) ? change.record : undefined;
		// Newest change first, as codex/list gives them.
		group.records = shown ? [entryOf(shown), ...others].slice(0, shownPerGroup) : others;
		group.more ||= shown !== undefined && others.length >= shownPerGroup;
		if (shown && !this._tag) {
			this._tags = [...new Set([...this._tags, ...shown.tags])].sort();
		}
		this._stale = !this._panel.panel.visible;
		if (!this._stale) {
			this.draw();
		}
	}

	private draw(): void {
		this._stale = false;
		this._panel.post({ type: 'home', groups: this._groups.filter(g => !this._tag || g.records.length > 0), tags: this._tags, tag: this._tag });
	}

	private async create(templateId: string): Promise<void> {
		const all = await this._deps.sidecar.request('templates/list');
		const kind = this._deps.kinds.of(all.find(t => t.id === templateId && t.active));
		if (kind.create) {
			await vscode.commands.executeCommand(kind.create.command);
			return;
		}
		this._open({ kind: kind.runs ? 'run' : 'new', templateId });
	}

	private async load(): Promise<void> {
		try {
			const all = await this._deps.sidecar.request('templates/list');
			const kinds = this._deps.kinds;
			const usable = all.filter(t => t.active && t.usable).sort((a, b) => kinds.rank(a) - kinds.rank(b) || a.name.localeCompare(b.name));
			this._groups = await Promise.all(usable.map(t => this.group(t)));
			if (!this._tag) {
				this._tags = [...new Set(this._groups.flatMap(g => g.records.flatMap(r => r.tags)))].sort();
			}
			this.draw();
		} catch (error) {
			this._panel.post({ type: 'notice', text: `Could not list the settings: ${errorText(error)}`, error: true });
		}
	}

	private async group(template: TemplateSummary): Promise<HomeGroup> {
		const page = await this._deps.sidecar.request('codex/list', { templateId: template.id, tags: this._tag ? [this._tag] : undefined, limit: shownPerGroup + 1 });
		const records = page.items.filter(r => r.templateId === template.id);
		const kind = this._deps.kinds.of(template);
		return {
			templateId: template.id,
			name: template.name,
			description: template.description,
			looks: looksOf(template.metadata),
			newLabel: kind.create?.label ?? (kind.runs ? 'Run Task' : 'New'),
			records: records.slice(0, shownPerGroup).map(entryOf),
			more: records.length > shownPerGroup || page.nextCursor !== undefined && page.nextCursor !== null,
		};
	}

	dispose(): void {
		for (const d of this._subscriptions) {
			d.dispose();
		}
	}
}

/** A record as the home lists it. */
function entryOf(record: CodexRecord): HomeGroup['records'][number] {
	return { id: record.id, title: record.title || record.slug, detail: `${record.ref} · changed ${new Date(record.updatedAt).toLocaleString()}`, tags: record.tags };
}
