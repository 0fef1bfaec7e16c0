import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../server/db/client';
import { ph, runCached } from '../../server/db/prepared';
import { apiToken, placeMember, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { newId, newToken, sha256 } from '../../server/ids';
import { audit } from '../../server/audit';
import { parseInput } from '../../server/validation';

/** Every personal API token starts with this, so leaked tokens are easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'lieu_';

export const tokenInput = z.object({ name: z.string().trim().min(1, 'field.required').max(80, 'field.too_long') });

/** Creates a personal API token. Returns the token in clear: shown once, only its hash is stored. */
export async function createApiToken(db: Db, userId: string, raw: unknown): Promise<{ id: string; token: string; name: string }> {
	const { name } = parseInput(tokenInput, raw);
	const { token, hash } = newToken(TOKEN_PREFIX);
	const id = newId();
	await db.transaction(async (tx) => {
		await tx.insert(apiToken).values({ id, userId, name, tokenHash: hash, prefix: token.slice(0, TOKEN_PREFIX.length + 4) });
		await audit(tx, { placeId: null, actorId: userId, action: 'token.create', targetType: 'api_token', targetId: id, data: { name } });
	});
	return { id, token, name };
}

/** The person's tokens (never the secret). */
export async function listApiTokens(db: DbOrTx, userId: string) {
	return db
		.select({ id: apiToken.id, name: apiToken.name, prefix: apiToken.prefix, createdAt: apiToken.createdAt, lastUsedAt: apiToken.lastUsedAt, revokedAt: apiToken.revokedAt })
		.from(apiToken)
		.where(eq(apiToken.userId, userId))
		.orderBy(desc(apiToken.createdAt));
}

/** Revokes one of the person's tokens (not_found for someone else's). */
export async function revokeApiToken(db: Db, userId: string, tokenId: string): Promise<void> {
	await db.transaction(async (tx) => {
		const r = await tx
			.update(apiToken)
			.set({ revokedAt: new Date() })
			.where(and(eq(apiToken.id, tokenId), eq(apiToken.userId, userId), isNull(apiToken.revokedAt)))
			.returning({ id: apiToken.id });
		if (r.length === 0) throw new AppError('not_found');
		await audit(tx, { placeId: null, actorId: userId, action: 'token.revoke', targetType: 'api_token', targetId: tokenId });
	});
}

/**
 * Resolves a bearer token to its account, or undefined (unknown, revoked, or erased account). With `placeId`, the
 * same query also reads the account's membership of that place (`membership`: null when none), so an API call on a
 * place costs one round trip for who and what role.
 */
export async function verifyApiToken(db: Db, token: string, placeId?: string) {
	if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
	const [row] = await runCached(
		db,
		'verifyApiToken',
		(db) =>
			db
				.select({
					tokenId: apiToken.id,
					id: user.id,
					name: user.name,
					email: user.email,
					emailVerified: user.emailVerified,
					locale: user.locale,
					isOperator: user.isOperator,
					deletedAt: user.deletedAt,
					lastUsedAt: apiToken.lastUsedAt,
					roleId: role.id,
					roleKey: role.key,
					roleName: role.name,
					permissions: role.permissions
				})
				.from(apiToken)
				.innerJoin(user, eq(user.id, apiToken.userId))
				.leftJoin(placeMember, and(eq(placeMember.userId, apiToken.userId), eq(placeMember.placeId, ph('placeId'))))
				.leftJoin(role, eq(role.id, placeMember.roleId))
				.where(and(eq(apiToken.tokenHash, ph('tokenHash')), isNull(apiToken.revokedAt)))
				.limit(1),
		{ placeId: placeId ?? '', tokenHash: sha256(token) }
	);
	if (!row || row.deletedAt) return undefined;
	// why: write last-used at most once a minute, not on every API call.
	if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
		await db.update(apiToken).set({ lastUsedAt: new Date() }).where(eq(apiToken.id, row.tokenId));
	}
	const membership = placeId && row.roleId ? { roleId: row.roleId, roleKey: row.roleKey!, roleName: row.roleName!, permissions: row.permissions! } : null;
	return { ...row, membership: placeId ? membership : undefined };
}
