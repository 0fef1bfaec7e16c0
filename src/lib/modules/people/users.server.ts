import { hashPassword } from 'better-auth/crypto';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { account, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { newId } from '../../server/ids';
import { assertStrongPassword } from '../../server/auth/password';
import type { Locale } from '../../i18n';

export interface NewUser {
	email: string;
	password?: string;
	name?: string;
	locale?: Locale;
	isOperator?: boolean;
	emailVerified?: boolean;
}

/** Finds an account by e-mail (case-insensitive). */
export async function findUserByEmail(db: DbOrTx, email: string) {
	const [u] = await db.select().from(user).where(sql`lower(${user.email}) = ${email.trim().toLowerCase()}`).limit(1);
	return u;
}

/**
 * Creates an account inside the caller's transaction (setup, CLI, seed): same password hash format as
 * better-auth's sign-up, so the person can sign in normally. Throws email_taken or weak_password.
 */
export async function createUserRecord(tx: DbOrTx, input: NewUser): Promise<typeof user.$inferSelect> {
	const email = input.email.trim().toLowerCase();
	if (await findUserByEmail(tx, email)) throw new AppError('email_taken', { fields: { email: 'error.email_taken' } });
	if (input.password !== undefined) assertStrongPassword(input.password);
	const id = newId();
	const [u] = await tx
		.insert(user)
		.values({
			id,
			email,
			name: input.name?.trim() || email.split('@')[0],
			locale: input.locale ?? 'fr',
			isOperator: input.isOperator ?? false,
			emailVerified: input.emailVerified ?? false
		})
		.returning();
	if (input.password !== undefined) {
		await tx.insert(account).values({ id: newId(), accountId: id, providerId: 'credential', userId: id, password: await hashPassword(input.password) });
	}
	return u;
}

/** Sets a new password on an account (CLI, reset by operator). */
export async function setPassword(tx: DbOrTx, userId: string, password: string) {
	assertStrongPassword(password);
	const hash = await hashPassword(password);
	const updated = await tx.update(account).set({ password: hash, updatedAt: new Date() }).where(sql`${account.userId} = ${userId} AND ${account.providerId} = 'credential'`).returning({ id: account.id });
	if (updated.length === 0) await tx.insert(account).values({ id: newId(), accountId: userId, providerId: 'credential', userId, password: hash });
}

export async function getUser(db: DbOrTx, id: string) {
	const [u] = await db.select().from(user).where(eq(user.id, id)).limit(1);
	return u;
}
