/** When a provider's form shows "Credential kind". No vscode imports. */
import type { CatalogProviderSummary, FieldDto, JsonObject } from '../shared/protocol';

/**
 * The provider types whose secret is one of two kinds: Anthropic's API (an API key as x-api-key, or a gateway's auth
 * token as a bearer) and Azure OpenAI (api-key, or a bearer token). Every other type sends its key one way, so the
 * sidecar reads `credential` for these only.
 */
export const twoCredentialTypes: readonly string[] = ['anthropic', 'azure'];

/**
 * The provider template's fields with "Credential kind" shown only for catalog providers of those types (their ids from
 * the catalog, a user's own included), or where the record already names a kind, so it can be seen and cleared.
 */
export function credentialShownWhereItCounts(fields: FieldDto[], catalog: readonly CatalogProviderSummary[], values: JsonObject): FieldDto[] {
	const ids = catalog.filter(p => twoCredentialTypes.includes(p.type)).map(p => p.id);
	const current = values.catalog_provider_id;
	if (values.credential && typeof current === 'string' && !ids.includes(current)) {
		ids.push(current);
	}
	return fields.map(f => f.name === 'credential' && !f.conditional ? { ...f, conditional: { field: 'catalog_provider_id', value: ids } } : f);
}
