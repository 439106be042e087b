import * as vscode from 'vscode';
import { CatalogProviderSummary, FieldDto, TemplateDetail } from '../shared/protocol';
import { conditionHolds, fieldLabel } from '../shared/settingsMessages';
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

/** The providers the template offers (its provider field's options); undefined when it names no list (the shipped one: the whole catalog). */
export function offeredProviders(template: TemplateDetail): ReadonlySet<string> | undefined {
	const options = template.fields.find(f => f.name === providerFieldOf(template))?.options;
	return options && options.length > 0 ? new Set(options.map(o => o.value)) : undefined;
}

/** Whether the template has the field and applies it to the provider (its `conditional` holds): a step for one that does not is never asked. */
export function appliesTo(template: TemplateDetail, field: string, providerId: string): boolean {
	const spec = template.fields.find(f => f.name === field);
	return spec !== undefined && conditionHolds(spec, { [providerFieldOf(template)]: providerId });
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
			label: stepLabel(field),
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

/** A step's word in its title ("(3/4): api base url"), lower case as the fixed steps' (name, endpoint, key). */
function stepLabel(field: FieldDto): string {
	return field.label ?? fieldLabel(field).toLowerCase();
}

function askText(title: string, field: FieldDto): Thenable<string | undefined> {
	const label = stepLabel(field);
	return vscode.window.showInputBox({
		title,
		prompt: field.description ?? `The instance's ${label}: your template requires it.`,
		placeHolder: field.placeholder,
		ignoreFocusOut: true,
		validateInput: value => (value.trim() === '' ? `Enter the ${label}: your template requires it.` : undefined),
	}).then(value => value?.trim());
}

/** The catalog's models of the provider to pick from, or any other id typed (offered as "Use 'id'" as it is typed). */
async function askModel(title: string, field: FieldDto, provider: CatalogProviderSummary, service: ProviderService): Promise<string | undefined> {
	const models = provider.modelCount > 0 ? await service.catalogModels(provider.id).catch(() => []) : [];
	if (models.length === 0) {
		return askText(title, field);
	}
	type Item = vscode.QuickPickItem & { id: string };
	const listed: Item[] = models.map(m => ({ label: m.name, description: m.id, id: m.id }));
	const pick = vscode.window.createQuickPick<Item>();
	pick.title = title;
	pick.placeholder = field.description ?? 'The model the instance uses by default, or type another id';
	pick.ignoreFocusOut = true;
	pick.matchOnDescription = true;
	pick.items = listed;
	pick.onDidChangeValue(value => {
		const typed = value.trim();
		// An id the catalog does not list is used as typed (a new model, a fine-tune): always offered, last, so Enter
		// takes a listed model that matches and, when none does, the id typed.
		pick.items = typed === '' || models.some(m => m.id === typed) ? listed
			: [...listed, { label: `$(edit) Use '${typed}'`, description: 'a model the catalog does not list', id: typed, alwaysShow: true }];
	});
	return new Promise(resolve => {
		let answer: string | undefined;
		pick.onDidAccept(() => {
			answer = pick.selectedItems[0]?.id;
			if (answer !== undefined) {
				pick.hide();
			}
		});
		pick.onDidHide(() => {
			pick.dispose();
			resolve(answer);
		});
		pick.show();
	});
}
