import crypto from 'node:crypto';

/** New opaque id (URL-safe, 20 chars). */
export function newId(): string {
	return crypto.randomBytes(15).toString('base64url');
}

/** A random secret token and its SHA-256 (only the hash is stored). */
export function newToken(prefix = ''): { token: string; hash: string } {
	const token = prefix + crypto.randomBytes(24).toString('base64url');
	return { token, hash: sha256(token) };
}

export function sha256(s: string): string {
	return crypto.createHash('sha256').update(s).digest('hex');
}
