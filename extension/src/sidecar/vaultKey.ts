import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

const secretName = 'plue.vaultKey';

/**
 * The vault master key: 32 random bytes, base64, created once per machine
 * profile and kept in SecretStorage (the OS keychain on desktop). Never log it.
 */
export async function getOrCreateVaultKey(secrets: vscode.SecretStorage): Promise<string> {
	const existing = await secrets.get(secretName);
	if (existing) {
		return existing;
	}
	const key = randomBytes(32).toString('base64');
	await secrets.store(secretName, key);
	return key;
}
