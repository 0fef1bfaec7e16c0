import { and, asc, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../server/db/client';
import { consent, place, placeMember, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { parseInput } from '../../server/validation';
import { CONSENT_PURPOSES, recordConsent } from './commands.server';

export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** Purposes a person may grant or withdraw from their profile ('terms' is accepted at sign-up; leaving means erasing the account). */
export const OPTIONAL_PURPOSES = ['news', 'photos', 'directory'] as const satisfies readonly ConsentPurpose[];

// why: a checkbox sends "on" when ticked and nothing at all when not.
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

export const profileInput = z.object({
	name: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(120, 'field.too_long'),
	locale: z.enum(['fr', 'en'], { error: 'field.invalid' }),
	news: checkbox,
	reminders: checkbox
});
export type ProfileInput = z.infer<typeof profileInput>;

export const consentInput = z.object({
	purpose: z.enum(OPTIONAL_PURPOSES, { error: 'field.invalid' }),
	granted: z.enum(['true', 'false'], { error: 'field.invalid' }).transform((v) => v === 'true')
});

/** The person's own account, as the profile page shows it (news preference = current news consent). not_found for an unknown or erased account. */
export async function getProfile(db: DbOrTx, userId: string) {
	const [u] = await db
		.select({ id: user.id, name: user.name, email: user.email, emailVerified: user.emailVerified, locale: user.locale, emailPrefs: user.emailPrefs, createdAt: user.createdAt, deletedAt: user.deletedAt })
		.from(user)
		.where(eq(user.id, userId))
		.limit(1);
	if (!u || u.deletedAt) throw new AppError('not_found');
	const news = await latestConsent(db, userId, 'news');
	return { ...u, emailPrefs: { ...u.emailPrefs, news: news ?? u.emailPrefs.news } };
}

/** The time zone to show the person's dates in: their first place's, else Europe/Paris. */
export async function profileTimezone(db: DbOrTx, userId: string): Promise<string> {
	const [p] = await db
		.select({ timezone: place.timezone })
		.from(placeMember)
		.innerJoin(place, eq(place.id, placeMember.placeId))
		.where(eq(placeMember.userId, userId))
		.orderBy(asc(placeMember.createdAt))
		.limit(1);
	return p?.timezone ?? 'Europe/Paris';
}

/** The places the person belongs to, with their role (for the profile and the export). */
export async function membershipsOf(db: DbOrTx, userId: string) {
	return db
		.select({ placeId: place.id, slug: place.slug, name: place.name, role: role.key, roleName: role.name, since: placeMember.createdAt })
		.from(placeMember)
		.innerJoin(place, eq(place.id, placeMember.placeId))
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(eq(placeMember.userId, userId))
		.orderBy(asc(place.name));
}

/** Every consent decision of the person, newest first (the history is the proof). */
export async function consentHistory(db: DbOrTx, userId: string) {
	return db
		.select({ id: consent.id, purpose: consent.purpose, granted: consent.granted, version: consent.version, at: consent.at })
		.from(consent)
		.where(eq(consent.userId, userId))
		.orderBy(desc(consent.at), desc(consent.id));
}

/** The current decision for each purpose (null when the person never decided). */
export async function currentConsents(db: DbOrTx, userId: string) {
	const history = await consentHistory(db, userId);
	return CONSENT_PURPOSES.map((purpose) => {
		const latest = history.find((h) => h.purpose === purpose);
		return { purpose, granted: latest?.granted ?? null, at: latest?.at ?? null, optional: (OPTIONAL_PURPOSES as readonly string[]).includes(purpose) };
	});
}

async function latestConsent(tx: DbOrTx, userId: string, purpose: string): Promise<boolean | null> {
	const [row] = await tx
		.select({ granted: consent.granted })
		.from(consent)
		.where(and(eq(consent.userId, userId), eq(consent.purpose, purpose)))
		.orderBy(desc(consent.at), desc(consent.id))
		.limit(1);
	return row?.granted ?? null;
}

async function lockUser(tx: DbOrTx, userId: string) {
	const [u] = await tx.select().from(user).where(eq(user.id, userId)).for('update');
	if (!u || u.deletedAt) throw new AppError('not_found');
	return u;
}

/**
 * Updates the person's name, language and e-mail preferences. The "news" e-mail preference and the
 * "news" consent are one decision: changing one records the other (a new consent row) in the same transaction.
 */
export async function updateProfile(db: Db, userId: string, raw: unknown) {
	const input = parseInput(profileInput, raw);
	return db.transaction(async (tx) => {
		const before = await lockUser(tx, userId);
		const emailPrefs = { news: input.news, reminders: input.reminders };
		const [u] = await tx
			.update(user)
			.set({ name: input.name, locale: input.locale, emailPrefs, updatedAt: new Date() })
			.where(eq(user.id, userId))
			.returning({ id: user.id, name: user.name, locale: user.locale, emailPrefs: user.emailPrefs });
		// why: sign-up records the news consent without touching emailPrefs; the consent, when there is one, wins.
		const newsBefore = (await latestConsent(tx, userId, 'news')) ?? before.emailPrefs.news;
		const changed = [
			before.name !== input.name && 'name',
			before.locale !== input.locale && 'locale',
			newsBefore !== input.news && 'news',
			before.emailPrefs.reminders !== input.reminders && 'reminders'
		].filter(Boolean);
		if (newsBefore !== input.news) {
			await recordConsent(tx, userId, 'news', input.news);
			await audit(tx, { placeId: null, actorId: userId, action: input.news ? 'consent.grant' : 'consent.withdraw', targetType: 'user', targetId: userId, data: { purpose: 'news' } });
		}
		await audit(tx, { placeId: null, actorId: userId, action: 'profile.update', targetType: 'user', targetId: userId, data: { changed } });
		return u;
	});
}

/**
 * Grants or withdraws an optional consent (news, photos, directory): a new consent row and an audit
 * entry, in one transaction. A decision equal to the current one changes nothing (changed: false).
 */
export async function setConsent(db: Db, userId: string, raw: unknown): Promise<{ purpose: ConsentPurpose; granted: boolean; changed: boolean }> {
	const { purpose, granted } = parseInput(consentInput, raw);
	return db.transaction(async (tx) => {
		const u = await lockUser(tx, userId);
		if ((await latestConsent(tx, userId, purpose)) === granted) return { purpose, granted, changed: false };
		await recordConsent(tx, userId, purpose, granted);
		if (purpose === 'news' && u.emailPrefs.news !== granted) {
			await tx.update(user).set({ emailPrefs: { ...u.emailPrefs, news: granted }, updatedAt: new Date() }).where(eq(user.id, userId));
		}
		await audit(tx, { placeId: null, actorId: userId, action: granted ? 'consent.grant' : 'consent.withdraw', targetType: 'user', targetId: userId, data: { purpose } });
		return { purpose, granted, changed: true };
	});
}
