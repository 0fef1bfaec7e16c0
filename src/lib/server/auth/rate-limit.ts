import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { env } from '../env';
import { AppError } from '../errors';

/**
 * Counts one hit on a fixed-window counter and returns the count in the current window.
 * One atomic upsert: concurrent hits never lose a count.
 */
export async function hit(db: DbOrTx, key: string, windowSeconds: number): Promise<number> {
	const rows = await db.execute<{ count: number }>(sql`
		INSERT INTO rate_limit (key, count, window_start) VALUES (${key}, 1, now())
		ON CONFLICT (key) DO UPDATE SET
			count = CASE WHEN rate_limit.window_start < now() - make_interval(secs => ${windowSeconds}) THEN 1 ELSE rate_limit.count + 1 END,
			window_start = CASE WHEN rate_limit.window_start < now() - make_interval(secs => ${windowSeconds}) THEN now() ELSE rate_limit.window_start END
		RETURNING count`);
	const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: { count: number }[] }).rows) as { count: number }[];
	return Number(list[0]?.count ?? 0);
}

export const SIGN_IN_LIMITS = {
	/** Attempts per IP address in the window (a café's shared Wi-Fi has several people behind one IP). */
	perIp: 30,
	/** Attempts per account (e-mail) in the window: stops password guessing on one person. */
	perAccount: 8,
	windowSeconds: 15 * 60
};

/** Throws rate_limited when sign-in attempts from this IP or on this account exceed the limits. */
export async function limitSignIn(db: DbOrTx, ip: string, email: string | undefined): Promise<void> {
	if (env().LIEU_RATE_LIMIT === 'off') return;
	const ipCount = await hit(db, `signin:ip:${ip}`, SIGN_IN_LIMITS.windowSeconds);
	const accCount = email ? await hit(db, `signin:acct:${email.trim().toLowerCase()}`, SIGN_IN_LIMITS.windowSeconds) : 0;
	if (ipCount > SIGN_IN_LIMITS.perIp || accCount > SIGN_IN_LIMITS.perAccount) throw new AppError('rate_limited');
}
