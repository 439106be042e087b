import * as vscode from 'vscode';
import { CatalogModel } from '../shared/protocol';
import { showError } from '../sidecar/commandErrors';
import { modelDescription, modelPrices } from '../providers/format';
import { pickCatalogProvider, resolveInstance } from '../providers/pickers';
import { ProviderService } from '../providers/providerService';

interface ModelItem extends vscode.QuickPickItem {
	model: CatalogModel;
}

/**
 * `plue.providers.browseModels`: an instance's models (from its row) or a
 * catalog provider's, with prices, context window and capabilities. Picking
 * one copies its id. Returns the picked model.
 */
export async function browseModels(service: ProviderService, arg?: unknown): Promise<CatalogModel | undefined> {
	try {
		const source = await modelSource(service, arg);
		if (!source) {
			return undefined;
		}
		const picked = await vscode.window.showQuickPick<ModelItem>(source.models.then((models): ModelItem[] => models.map((model): ModelItem => ({
			label: model.name,
			description: modelDescription(model),
			detail: modelPrices(model),
			model,
		}))), { title: `Models of ${source.name}`, placeHolder: 'Search by name or id; Enter copies the id', matchOnDescription: true, matchOnDetail: true });
		if (!picked) {
			return undefined;
		}
		await vscode.env.clipboard.writeText(picked.model.id);
		vscode.window.setStatusBarMessage(`Copied the model id ${picked.model.id}`, 4000);
		return picked.model;
	} catch (error) {
		showError('list the models', error);
		return undefined;
	}
}

async function modelSource(service: ProviderService, arg: unknown): Promise<{ name: string; models: Promise<CatalogModel[]> } | undefined> {
	if (arg !== undefined) {
		const instance = await resolveInstance(service, arg, 'Browse Models');
		return instance && { name: instance.displayName, models: service.instanceModels(instance.id) };
	}
	const provider = await pickCatalogProvider(service, { title: 'Browse Models' });
	return provider && { name: provider.name, models: service.catalogModels(provider.id) };
}
