import { AppError, toAppError } from '../lib/server/errors';
import { BackupError } from '../lib/server/db/backup';
import type { T } from './messages';

const toFlag = (field: string) => '--' + field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());

/** Phrases any error for the operator: translated message, one line per invalid option, technical detail. */
export function describeError(t: T, e: unknown): string {
	if (e instanceof BackupError) return t(`backup.${e.reason}`, e.params);
	if (!(e instanceof AppError) && e instanceof Error && e.message.startsWith('Invalid configuration')) return t('err.config', { message: '\n' + e.message.split('\n').slice(1).join('\n') });
	const err: AppError = toAppError(e);
	const lines = [t(`error.${err.code}`)];
	if (err.fields) {
		for (const [field, key] of Object.entries(err.fields)) {
			if (t(key) === lines[0]) continue;
			lines.push('  ' + (field === '_' ? t(key) : t('err.field', { flag: toFlag(field), message: t(key) })));
		}
	} else if (err.detail) {
		lines.push(`  ${err.detail}`);
	}
	if (err.code === 'internal') lines.push(t('err.debug'));
	return lines.join('\n');
}
