import { and, asc, desc, eq, inArray, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { account, apiToken, auditLog, consent, invitation, mailOutbox, place, placeMember, role, session, user, verification } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { queueMail } from '../../server/mail';
import { isLocale } from '../../i18n';
import { listApiTokens } from './tokens.server';
import { consentHistory, membershipsOf } from './profile.server';

/** Erased accounts keep their id and get an address on this domain (RFC 2606 style: it cannot receive mail). */
export const ERASED_EMAIL_DOMAIN = 'invalid.lieu';
export const ERASED_NAME = 'Compte supprimé';

/** The pseudonymous address an erased account gets. */
export function erasedEmail(userId: string): string {
	return `deleted-${userId}@${ERASED_EMAIL_DOMAIN}`;
}

/** Version of the export's shape, so a reader can tell what to expect. */
export const EXPORT_FORMAT = 'lieu-personal-data/1';

/** File name of the export: lieu-mes-donnees-YYYY-MM-DD.json (date in the given time zone). */
export function exportFileName(now: Date, timeZone = 'Europe/Paris'): string {
	// why: en-CA formats dates as YYYY-MM-DD.
	const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
	return `lieu-mes-donnees-${day}.json`;
}

/**
 * Everything Lieu holds about a person (GDPR right of access and portability), as a JSON-ready object.
 * Never contains password hashes, token hashes or session tokens. Used by /profile/export and the API.
 */
export async function exportPersonalData(db: DbOrTx, userId: string, now = new Date()) {
	const [u] = await db
		.select({ id: user.id, name: user.name, email: user.email, locale: user.locale, createdAt: user.createdAt, emailVerified: user.emailVerified, emailPrefs: user.emailPrefs, deletedAt: user.deletedAt })
		.from(user)
		.where(eq(user.id, userId))
		.limit(1);
	if (!u) throw new AppError('not_found');
	const email = u.email.toLowerCase();
	const [memberships, consents, apiTokens, sessions, signInMethods, invitations, auditEntries, mails] = await Promise.all([
		membershipsOf(db, userId),
		consentHistory(db, userId),
		listApiTokens(db, userId),
		db
			.select({ createdAt: session.createdAt, updatedAt: session.updatedAt, expiresAt: session.expiresAt, ipAddress: session.ipAddress, userAgent: session.userAgent })
			.from(session)
			.where(eq(session.userId, userId))
			.orderBy(desc(session.createdAt)),
		db
			.select({ provider: account.providerId, createdAt: account.createdAt, updatedAt: account.updatedAt })
			.from(account)
			.where(eq(account.userId, userId))
			.orderBy(asc(account.createdAt)),
		db
			.select({ place: place.slug, placeName: place.name, role: role.key, createdAt: invitation.createdAt, expiresAt: invitation.expiresAt, acceptedAt: invitation.acceptedAt })
			.from(invitation)
			.innerJoin(place, eq(place.id, invitation.placeId))
			.innerJoin(role, eq(role.id, invitation.roleId))
			.where(sql`lower(${invitation.email}) = ${email}`)
			.orderBy(desc(invitation.createdAt)),
		db
			.select({ id: auditLog.id, placeId: auditLog.placeId, action: auditLog.action, targetType: auditLog.targetType, targetId: auditLog.targetId, data: auditLog.data, at: auditLog.at })
			.from(auditLog)
			.where(eq(auditLog.actorId, userId))
			.orderBy(asc(auditLog.at), asc(auditLog.id)),
		db
			.select({ id: mailOutbox.id, to: mailOutbox.to, subject: mailOutbox.subject, template: mailOutbox.template, text: mailOutbox.text, status: mailOutbox.status, createdAt: mailOutbox.createdAt, sentAt: mailOutbox.sentAt })
			.from(mailOutbox)
			.where(sql`lower(${mailOutbox.to}) = ${email}`)
			.orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.id))
	]);
	return {
		format: EXPORT_FORMAT,
		exportedAt: now.toISOString(),
		account: { id: u.id, name: u.name, email: u.email, locale: u.locale, createdAt: u.createdAt, emailVerified: u.emailVerified, emailPrefs: u.emailPrefs, deletedAt: u.deletedAt },
		signInMethods,
		memberships: memberships.map((m) => ({ place: m.slug, placeName: m.name, role: m.role, roleName: m.roleName, since: m.since })),
		consents: consents.map((c) => ({ purpose: c.purpose, granted: c.granted, version: c.version, at: c.at })),
		apiTokens: apiTokens.map((t) => ({ name: t.name, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, revokedAt: t.revokedAt })),
		sessions,
		invitations,
		auditEntries,
		mails
	};
}
export type PersonalDataExport = Awaited<ReturnType<typeof exportPersonalData>>;

/**
 * Places where the person is the only admin while other people remain (they must hand over first).
 * Locks those places' rows so two admins erasing at once cannot both leave.
 */
async function placesBlockingErasure(tx: DbOrTx, userId: string) {
	const adminOf = await tx
		.select({ placeId: placeMember.placeId })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.userId, userId), eq(role.key, 'admin')));
	if (adminOf.length === 0) return [];
	const ids = adminOf.map((a) => a.placeId).sort();
	// why: two admins of the same place erasing together would each see the other as the remaining admin;
	// locking the place rows (in a fixed order, so no deadlock) makes the second one wait and count again.
	const locked = await tx.select({ id: place.id, slug: place.slug }).from(place).where(inArray(place.id, ids)).orderBy(asc(place.id)).for('update');
	const blocking: string[] = [];
	for (const p of locked) {
		const others = await tx
			.select({ key: role.key })
			.from(placeMember)
			.innerJoin(role, eq(role.id, placeMember.roleId))
			.where(and(eq(placeMember.placeId, p.id), ne(placeMember.userId, userId)));
		if (others.length > 0 && !others.some((o) => o.key === 'admin')) blocking.push(p.slug);
	}
	return blocking;
}

/**
 * Erases a person's account (GDPR right to erasure), in one transaction: refuses with last_admin while
 * they are the only admin of a place with other members; deletes sessions, sign-in methods (passwords),
 * API tokens, consents, memberships, invitations and verification rows and the outbox mails to their
 * address; pseudonymises the user row (the id stays, so audit entries and legal records keep pointing at a
 * pseudonym); writes the audit entries; queues a confirmation mail to the original address.
 * Erasing an already erased account changes nothing ({ alreadyErased: true }).
 */
export async function eraseAccount(db: Db, userId: string, now = new Date()): Promise<{ alreadyErased: boolean; placeIds: string[] }> {
	return db.transaction(async (tx) => {
		const [u] = await tx.select().from(user).where(eq(user.id, userId)).for('update');
		if (!u) throw new AppError('not_found');
		if (u.deletedAt) return { alreadyErased: true, placeIds: [] };
		const blocking = await placesBlockingErasure(tx, userId);
		if (blocking.length > 0) throw new AppError('last_admin', { detail: `only admin of: ${blocking.join(', ')}` });

		const originalEmail = u.email;
		const email = originalEmail.toLowerCase();
		const memberships = await tx.select({ placeId: placeMember.placeId }).from(placeMember).where(eq(placeMember.userId, userId));
		const placeIds = memberships.map((m) => m.placeId);

		await tx.delete(session).where(eq(session.userId, userId));
		await tx.delete(account).where(eq(account.userId, userId));
		await tx.delete(apiToken).where(eq(apiToken.userId, userId));
		await tx.delete(consent).where(eq(consent.userId, userId));
		await tx.delete(placeMember).where(eq(placeMember.userId, userId));
		await tx.delete(invitation).where(sql`lower(${invitation.email}) = ${email}`);
		// better-auth keeps the e-mail as identifier (e-mail OTP), inside the JSON value (magic links) or the
		// user id as value (password reset links).
		await tx
			.delete(verification)
			.where(or(sql`lower(${verification.identifier}) = ${email}`, eq(verification.value, userId), sql`strpos(lower(${verification.value}), ${email}) > 0`));
		await tx.delete(mailOutbox).where(sql`lower(${mailOutbox.to}) = ${email}`);
		await tx
			.update(user)
			.set({
				name: ERASED_NAME,
				email: erasedEmail(userId),
				emailVerified: false,
				image: null,
				emailPrefs: { news: false, reminders: false },
				isOperator: false,
				deletedAt: now,
				updatedAt: now
			})
			.where(eq(user.id, userId));

		for (const placeId of placeIds) {
			await audit(tx, { placeId, actorId: userId, action: 'member.remove', targetType: 'user', targetId: userId, data: { reason: 'account.erase' } });
		}
		await audit(tx, { placeId: null, actorId: userId, action: 'account.erase', targetType: 'user', targetId: userId, data: { places: placeIds.length } });
		// The confirmation goes to the address being erased: it is the last time Lieu uses it.
		await queueMail(tx, { to: originalEmail, locale: isLocale(u.locale) ? u.locale : 'fr', template: 'mail.deleted', name: u.name });
		return { alreadyErased: false, placeIds };
	});
}
