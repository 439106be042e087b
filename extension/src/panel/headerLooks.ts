import { looksOf, TemplateLooks } from '../shared/settingsMessages';
import type { Sidecar } from '../sidecar/sidecar';

/** Each sidecar's templates' looks, read once and again after templates change or the sidecar restarts. */
const s_looks = new WeakMap<Sidecar, Promise<Map<string, TemplateLooks>>>();

/**
 * A template's `metadata.icon` and `metadata.color`, for a chat's or task's panel header (its fallback icon and the
 * theme's colours are the webview's). Decoration: never fails, empty when the sidecar cannot say.
 */
export async function headerLooks(sidecar: Sidecar, templateId: string): Promise<TemplateLooks> {
	let looks = s_looks.get(sidecar);
	if (!looks) {
		const forget = (): void => { s_looks.delete(sidecar); };
		// Subscribed once per sidecar, for the extension's life (the sidecar object lives as long).
		if (!s_watched.has(sidecar)) {
			s_watched.add(sidecar);
			sidecar.onNotification('templates/changed', forget);
			sidecar.onDidStart(forget);
		}
		looks = sidecar.request('templates/list').then(all => new Map(all.filter(t => t.active).map(t => [t.id, looksOf(t.metadata)])));
		s_looks.set(sidecar, looks);
	}
	try {
		return (await looks).get(templateId) ?? {};
	} catch {
		s_looks.delete(sidecar);
		return {};
	}
}

const s_watched = new WeakSet<Sidecar>();
