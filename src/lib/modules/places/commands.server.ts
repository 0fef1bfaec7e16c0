import { and, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../server/db/client';
import { place, placeMember, role } from '../../server/db/schema';
import { AppError, pgErrorCode } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { BUILTIN_ROLES, BUILTIN_ROLE_KEYS, isPermission, requirePermission, type BuiltinRoleKey, type PlaceScope } from './policy';
import { placeInput, isValidTimezone, MODULES, type PlaceInput } from './rules';
import { createUserRecord } from '../people/users.server';
import type { Locale } from '../../i18n';
import { invalidatePlaceCache } from './cache.server';

const ROLE_NAMES: Record<BuiltinRoleKey, string> = { member: 'Membre', resident: 'Résident·e', staff: 'Équipe', admin: 'Administration' };

/** Creates a place with its four built-in roles. Returns the place. Throws slug_taken. */
export async function createPlace(tx: DbOrTx, raw: unknown, actorId: string | null, extra: Partial<typeof place.$inferInsert> = {}) {
	const input: PlaceInput = parseInput(placeInput, raw);
	const [existing] = await tx.select({ id: place.id }).from(place).where(eq(place.slug, input.slug));
	if (existing) throw new AppError('slug_taken', { fields: { slug: 'error.slug_taken' } });
	const id = newId();
	let p;
	try {
		[p] = await tx
			.insert(place)
			.values({ id, enabledModules: [...MODULES], ...extra, ...input, siret: input.siret ?? null, vatNumber: input.vatNumber ?? null })
			.returning();
	} catch (e) {
		if (pgErrorCode(e) === '23505') throw new AppError('slug_taken', { fields: { slug: 'error.slug_taken' } });
		throw e;
	}
	for (const key of BUILTIN_ROLE_KEYS) {
		await tx.insert(role).values({ id: newId(), placeId: id, key, name: ROLE_NAMES[key], permissions: [...BUILTIN_ROLES[key]], builtin: true });
	}
	await audit(tx, { placeId: id, actorId, action: 'place.create', targetType: 'place', targetId: id, data: { slug: input.slug } });
	invalidatePlaceCache();
	return p;
}

export async function roleByKey(tx: DbOrTx, placeId: string, key: string) {
	const [r] = await tx.select().from(role).where(and(eq(role.placeId, placeId), eq(role.key, key)));
	if (!r) throw new AppError('not_found', { detail: `role ${key}` , fields: { role: 'field.invalid' } });
	return r;
}

/** Adds (or moves) a person to a place with a role key. */
export async function addMember(tx: DbOrTx, placeId: string, userId: string, roleKey: string, actorId: string | null) {
	const r = await roleByKey(tx, placeId, roleKey);
	await tx
		.insert(placeMember)
		.values({ placeId, userId, roleId: r.id })
		.onConflictDoUpdate({ target: [placeMember.placeId, placeMember.userId], set: { roleId: r.id } });
	await audit(tx, { placeId, actorId, action: 'member.add', targetType: 'user', targetId: userId, data: { role: roleKey } });
}

export const setupInput = z
	.object({
		adminName: z.string().trim().min(1, 'field.required').max(120, 'field.too_long'),
		adminEmail: z.string().trim().toLowerCase().email('field.email'),
		adminPassword: z.string().min(1, 'field.required'),
		locale: z.enum(['fr', 'en']).default('fr')
	})
	.and(placeInput);

// why: a fixed advisory key so two browsers submitting the setup page together create one place, not two.
const SETUP_LOCK = 4_242_002;

/**
 * First-run setup: creates the place and its first admin (an instance operator) in one transaction.
 * Refuses with setup_done once any place exists.
 */
export async function setupInstance(db: Db, raw: unknown) {
	const input = parseInput(setupInput, raw);
	const result = await db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${SETUP_LOCK})`);
		const [{ n }] = await tx.select({ n: count() }).from(place);
		if (Number(n) > 0) throw new AppError('setup_done');
		const u = await createUserRecord(tx, {
			email: input.adminEmail,
			password: input.adminPassword,
			name: input.adminName,
			locale: input.locale as Locale,
			isOperator: true
		});
		const p = await createPlace(tx, input, u.id);
		await addMember(tx, p.id, u.id, 'admin', u.id);
		return { place: p, user: u };
	});
	invalidatePlaceCache(); // again after commit: a read during the transaction saw the old list
	return result;
}

export const settingsInput = z.object({
	name: z.string().trim().min(2, 'field.too_short').max(120, 'field.too_long'),
	address: z.string().trim().max(300, 'field.too_long').default(''),
	description: z.string().trim().max(2000, 'field.too_long').default(''),
	timezone: z.string().trim().refine(isValidTimezone, 'field.timezone'),
	legalForm: placeInput.shape.legalForm,
	siret: placeInput.shape.siret,
	vatNumber: placeInput.shape.vatNumber,
	logoUrl: z
		.string()
		.trim()
		.max(500, 'field.too_long')
		.refine((v) => v === '' || /^(https?:\/\/|\/)/.test(v), 'field.invalid')
		.default(''),
	languages: z.array(z.enum(['fr', 'en'])).min(1, 'field.required').default(['fr', 'en']),
	enabledModules: z.array(z.enum(MODULES)).default([])
});

/** Updates a place's settings (admin with place.settings). */
export async function updatePlaceSettings(db: Db, scope: PlaceScope, raw: unknown) {
	requirePermission(scope, 'place.settings');
	const input = parseInput(settingsInput, raw);
	const updated = await db.transaction(async (tx) => {
		const [p] = await tx
			.update(place)
			.set({ ...input, siret: input.siret ?? null, vatNumber: input.vatNumber ?? null, logoUrl: input.logoUrl || null })
			.where(eq(place.id, scope.placeId))
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'place.settings', targetType: 'place', targetId: scope.placeId, data: { name: input.name } });
		return p;
	});
	invalidatePlaceCache();
	return updated;
}

export const roleInput = z.object({
	key: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9_-]{1,30}$/, 'field.slug'),
	name: z.string().trim().min(2, 'field.too_short').max(60, 'field.too_long'),
	permissions: z.array(z.string().refine(isPermission, 'field.invalid')).default([])
});

/**
 * Creates or updates a custom role (built-in roles keep their key; their permissions can be changed except admin's).
 * mode 'create' refuses an existing key (conflict), 'update' an unknown one (not_found); 'upsert' does either.
 * Nobody can put in a role a permission they do not hold themselves (forbidden).
 */
export async function saveRole(db: Db, scope: PlaceScope, raw: unknown, mode: 'create' | 'update' | 'upsert' = 'upsert') {
	requirePermission(scope, 'roles.manage');
	const input = parseInput(roleInput, raw);
	const beyond = input.permissions.filter((p) => !scope.permissions.has(p));
	if (beyond.length) throw new AppError('forbidden', { fields: { permissions: 'error.forbidden' }, detail: `cannot grant ${beyond.join(', ')}` });
	return db.transaction(async (tx) => {
		const [existing] = await tx.select().from(role).where(and(eq(role.placeId, scope.placeId), eq(role.key, input.key)));
		if (existing && mode === 'create') throw new AppError('conflict', { fields: { key: 'error.conflict' }, detail: `role ${input.key} exists` });
		if (!existing && mode === 'update') throw new AppError('not_found', { detail: `role ${input.key}` });
		if (existing?.key === 'admin') throw new AppError('forbidden', { detail: 'the admin role keeps every permission' });
		let r;
		if (existing) {
			[r] = await tx.update(role).set({ name: input.name, permissions: input.permissions }).where(eq(role.id, existing.id)).returning();
		} else {
			[r] = await tx.insert(role).values({ id: newId(), placeId: scope.placeId, key: input.key, name: input.name, permissions: input.permissions }).returning();
		}
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: existing ? 'role.update' : 'role.create', targetType: 'role', targetId: r.id, data: { key: input.key, permissions: input.permissions } });
		return r;
	});
}

