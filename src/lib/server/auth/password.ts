import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../errors';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	// why: ~49,000 leaked passwords from zxcvbn-ts' common list, plus the place-related obvious ones.
	common ??= new Set([...(dictionary['passwords-common'] as string[]), 'tierslieu', 'tiers-lieu', 'lieu12345', 'motdepasse', 'azertyuiop', 'soleil1234', 'malakoff92']);
	return common;
}

/** True when the password is long enough and not a common one. */
export function isStrongPassword(pw: string): boolean {
	if (pw.length < MIN_PASSWORD_LENGTH || pw.length > MAX_PASSWORD_LENGTH) return false;
	const lower = pw.toLowerCase();
	if (commonPasswords().has(lower)) return false;
	// why: "aaaaaaaaaa" or "1234567890" pass a length rule but not a guess.
	if (new Set(lower).size < 4) return false;
	const stripped = lower.replace(/[\d!?.@#$*_-]+$/, '');
	if (stripped.length >= 4 && commonPasswords().has(stripped)) return false;
	return true;
}

/** Throws weak_password (field "password") unless the password is acceptable. */
export function assertStrongPassword(pw: string, field = 'password'): void {
	if (!isStrongPassword(pw)) throw new AppError('weak_password', { fields: { [field]: 'error.weak_password' } });
}
