import type { CodexRecord, FieldDto, JsonObject, TemplateDetail, TemplateSummary } from '../shared/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import type { FormAction } from '../shared/settingsMessages';

/**
 * What a feature adds to the settings room for the records of its kind. The kind is the one the sidecar tells on each
 * template (`kind`: the record kind its feature declared, the nearest in the lineage), so the settings room names no
 * template: a user's template that inherits from a feature's is that feature's too.
 */
export interface KindSettings {
	/** The feature's own command for a new record (it asks for a key, picks a model), better than a bare form. */
	create?: { command: string; label: string };
	/** A record of this kind was created from a form: what the feature does next (a provider instance is tested). */
	created?(id: string): void;
	/** A record of this kind is about to be saved from its form: what `saved` compares with after (a provider instance's last test). */
	beforeSave?(id: string): unknown;
	/** A record of this kind was saved from its form: what the feature does next (a provider instance whose test the edit made stale is tested again). */
	saved?(record: CodexRecord, before: unknown): void;
	/** Its templates start a task rather than store a record: New is Run Task, and the form starts it. */
	runs?: boolean;
	/** Its commands on a stored record, as buttons in the record's form (each gets the record's id). */
	actions?: FormAction[];
	/** Said at the top of the kind's forms. */
	note?: string;
	/** The template's fields as the kind's forms show them: conditions only the feature knows (a field that counts for some providers only). */
	fields?(fields: FieldDto[], values: JsonObject, sidecar: Sidecar): Promise<FieldDto[]>;
}

/**
 * The kinds the features registered, in the order the home lists their groups (the user's own kinds after them):
 * `kind` is the template id the sidecar's record kind declared.
 */
export class SettingsKinds {
	private readonly _kinds: ReadonlyMap<string, KindSettings>;
	private readonly _order: readonly string[];

	constructor(kinds: ReadonlyArray<readonly [kind: string, settings: KindSettings]>) {
		this._kinds = new Map(kinds);
		this._order = kinds.map(([kind]) => kind);
	}

	/** What the feature of the template's kind adds; nothing for a template no feature keeps. */
	of(template: Pick<TemplateSummary | TemplateDetail, 'kind'> | undefined): KindSettings {
		return (template?.kind && this._kinds.get(template.kind)) || {};
	}

	/** Where the template's group is listed on the home: the features' kinds in order, then the rest. */
	rank(template: Pick<TemplateSummary, 'kind'>): number {
		const at = template.kind ? this._order.indexOf(template.kind) : -1;
		return at < 0 ? this._order.length : at;
	}
}
