/**
 * What an image attachment may be, shared by the host (the open dialog) and the
 * webview (paste): the types every provider's vision API takes, and a size cap
 * (the sidecar checks the same). No imports, so the webview bundle can use it.
 */
import type { Session } from './protocol';

export const maxImageBytes = 5 * 1024 * 1024;

/** File extensions of the images that can be attached, and their MIME types. */
export const imageTypes: Readonly<Record<string, string>> = { png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp' };

const imageMimeTypes = new Set(Object.values(imageTypes));

/** The MIME type of an attachable image by its file name, or undefined. */
export function imageTypeOf(name: string): string | undefined {
	const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase();
	return extension ? imageTypes[extension] : undefined;
}

export function isAttachableImageType(mimeType: string): boolean {
	return imageMimeTypes.has(mimeType);
}

/** Why an image cannot be attached (its type or size), or undefined when it can. */
export function imageProblem(name: string, mimeType: string, bytes: number): string | undefined {
	if (!isAttachableImageType(mimeType)) {
		return `${name} is ${mimeType || 'of an unknown type'}; attach a PNG, JPEG, GIF or WebP image.`;
	}
	if (bytes > maxImageBytes) {
		return `${name} is ${(bytes / (1024 * 1024)).toFixed(1)} MB; images are limited to ${maxImageBytes / (1024 * 1024)} MB.`;
	}
	return undefined;
}

/** Why the session's model cannot take images, or undefined when it can (or the catalog does not say). */
export function imagesRefusedReason(session: Session | undefined): string | undefined {
	return session?.supportsAttachments === false
		? `${session.modelId} does not take images (says the catalog). Change the model to attach one.`
		: undefined;
}
