import type { Sidecar } from '../sidecar/sidecar';
import { TemplateSummary } from '../shared/protocol';

/** Cached template names by id: the task panel's header names a task's template. */
let s_names: Map<string, string> | undefined;

/** The usable templates a task can be made from: `task` and every template whose parent chain reaches it. */
export async function listTaskTemplates(sidecar: Sidecar): Promise<TemplateSummary[]> {
	const all = (await sidecar.request('templates/list')).filter(t => t.active);
	s_names = new Map(all.map(t => [t.id, t.name]));
	const byId = new Map(all.map(t => [t.id, t]));
	const isTask = (template: TemplateSummary): boolean => {
		const seen = new Set<string>();
		for (let t: TemplateSummary | undefined = template; t && !seen.has(t.id); t = t.parentTemplate ? byId.get(t.parentTemplate) : undefined) {
			if (t.id === 'task') {
				return true;
			}
			seen.add(t.id);
		}
		return false;
	};
	return all.filter(t => t.usable && isTask(t));
}

/** A template's name for people; its id when the sidecar cannot say (decoration: never fails). */
export async function templateName(sidecar: Sidecar, templateId: string): Promise<string> {
	try {
		if (!s_names?.has(templateId)) {
			await listTaskTemplates(sidecar);
		}
	} catch {
		return templateId;
	}
	return s_names?.get(templateId) ?? templateId;
}
