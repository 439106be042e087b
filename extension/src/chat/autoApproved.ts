import type { Session } from '../shared/protocol';
import type { AutoApprovedRow } from '../shared/panelMessages';
import type { Sidecar } from '../sidecar/sidecar';

/**
 * What runs without asking in a chat here, in the order the sidecar weighs it: the mode's tools that run without
 * asking, then this workspace's grants, then the chat's own (`permissions/list`, whose grants are the `tool-grant`
 * records). Deny grants are left out: they stop calls, they do not let any through.
 */
export async function autoApprovedRows(sidecar: Sidecar, session: Session): Promise<AutoApprovedRow[]> {
	const [modes, list] = await Promise.all([sidecar.request('session/modes'), sidecar.request('permissions/list')]);
	const mode = modes.find(m => m.id === session.mode);
	const granted = list.grants.filter(g => g.decision === 'allow');
	return [
		...(mode ? mode.autoApprove.filter(tool => mode.tools.includes(tool)).map(tool => ({ what: tool, where: `by the mode ${mode.name}` })) : []),
		...granted.filter(g => g.scope === 'workspace' && g.current).map(g => ({ what: g.what, where: 'in this workspace', grantId: g.id })),
		...granted.filter(g => g.scope === 'chat' && g.ownerId === session.id).map(g => ({ what: g.what, where: 'in this chat', grantId: g.id })),
	];
}
