import * as vscode from 'vscode';
import { CatalogProviderSummary, FieldDto, TemplateDetail } from '../shared/protocol';
import { conditionHolds } from '../shared/settingsMessages';
import type { ProviderService } from './providerService';
import type { ProviderStep } from './providerSteps';

/**
 * Add Provider Instance against the `llm-provider` template in force, which may be a user's own (the design notes'
 * names `provider_type` and requires `model`): the template's name for the provider picked, and a step for each
 * field it requires that the usual steps leave empty.
 */

/** The template's name for the instance's provider: the shipped `catalog_provider_id`, else the design notes' `provider_type`. */
export function providerFieldOf(template: TemplateDetail): string {
	return !template.fields.some(f => f.name === 'catalog_provider_id') && template.fields.some(f => f.name === 'provider_type') ? 'provider_type' : 'catalog_provider_id';
}

type StepParam = 'defaultModel' | 'cliPath' | 'project' | 'region' | 'profile' | 'apiVersion';

/** The `instances/create` param each template field a step can fill goes to (the sidecar writes it back under the template's name). */
const paramOf: Readonly<Record<string, StepParam>> = {
	default_model: 'defaultModel', model: 'defaultModel', cli_path: 'cliPath', project: 'project', region: 'region', aws_profile: 'profile', api_version: 'apiVersion',
};

/** A step for each field the template requires of this provider with no default; one an earlier step filled is not asked again. */
export function requiredSteps(template: TemplateDetail, provider: CatalogProviderSummary, service: ProviderService): ProviderStep[] {
	const values = { [providerFieldOf(template)]: provider.id };
	return template.fields
		.filter(f => f.required && f.default === undefined && paramOf[f.name] !== undefined && conditionHolds(f, values))
		.map(field => ({
			label: field.label ?? field.name,
			ask: async (title, params) => {
				const param = paramOf[field.name];
				if (params[param] !== undefined) {
					return true;
				}
				const value = param === 'defaultModel' ? await askModel(title, field, provider, service) : await askText(title, field);
				if (value !== undefined) {
					params[param] = value;
				}
				return value !== undefined;
			},
		}));
}

function askText(title: string, field: FieldDto): Thenable<string | undefined> {
	const label = field.label ?? field.name;
	return vscode.window.showInputBox({
		title,
		prompt: field.description ?? `The instance's ${label}: your template requires it.`,
		placeHolder: field.placeholder,
		ignoreFocusOut: true,
		validateInput: value => (value.trim() === '' ? `Enter the ${label}: your template requires it.` : undefined),
	}).then(value => value?.trim());
}

/** The catalog's models of the provider to pick from, or any other id typed. */
async function askModel(title: string, field: FieldDto, provider: CatalogProviderSummary, service: ProviderService): Promise<string | undefined> {
	const models = provider.modelCount > 0 ? await service.catalogModels(provider.id).catch(() => []) : [];
	if (models.length === 0) {
		return askText(title, field);
	}
	const other = { label: '$(edit) Another model…', id: '' };
	const picked = await vscode.window.showQuickPick([...models.map(m => ({ label: m.name, description: m.id, id: m.id })), other], {
		title, placeHolder: field.description ?? 'The model the instance uses by default', ignoreFocusOut: true, matchOnDescription: true,
	});
	return picked === undefined ? undefined : picked.id || askText(title, field);
}
