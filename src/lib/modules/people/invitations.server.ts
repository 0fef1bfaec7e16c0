// Invitations to join a place with a role: created by people with people.invite, sent by mail (a link with
// a random token, only its SHA-256 is stored), accepted by whoever holds the link and is signed in.
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../server/db/client';
import { invitation, place, placeMember, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { env } from '../../server/env';
import { newId, newToken, sha256 } from '../../server/ids';
import { log } from '../../server/log';
import { flushOutbox, queueMail } from '../../server/mail';
import { parseInput } from '../../server/validation';
import { isLocale, type Locale } from '../../i18n';
import { requirePermission, type PlaceScope } from '../places/policy';
import { assertMayGrant } from './admin.server';
import { findUserByEmail } from './users.server';

/** How long an invitation link stays valid. */
export const INVITATION_DAYS = 14;

export const invitationInput = z.object({
	email: z.string().trim().toLowerCase().max(254, 'field.too_long').email('field.email'),
	role: z.string().trim().min(1, 'field.required').max(40, 'field.invalid')
});

/**
 * Invites an e-mail address to the place with a role (people.invite): stores the invitation, queues the
 * mail in the same transaction and sends it after commit. Refuses an existing member (already_member) and
 * a role with permissions the inviter lacks (forbidden). Re-inviting an address replaces its pending
 * invitation. Returns the link's token (in clear, for the inviter to copy; only its hash is stored).
 */
export async function createInvitation(
	db: Db,
	scope: PlaceScope,
	raw: unknown,
	opts: { locale?: Locale; baseUrl?: string; now?: Date } = {}
): Promise<{ id: string; token: string; url: string; email: string; expiresAt: Date }> {
	requirePermission(scope, 'people.invite');
	const input = parseInput(invitationInput, raw);
	const now = opts.now ?? new Date();
	const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
	const { token, hash } = newToken();
	const url = `${(opts.baseUrl ?? env().baseUrl).replace(/\/$/, '')}/invite/${token}`;
	const id = newId();
	await db.transaction(async (tx) => {
		const [r] = await tx.select().from(role).where(and(eq(role.placeId, scope.placeId), eq(role.key, input.role)));
		if (!r) throw new AppError('invalid_input', { fields: { role: 'field.invalid' } });
		assertMayGrant(scope, r.permissions);
		const invitee = await findUserByEmail(tx, input.email);
		if (invitee) {
			const [m] = await tx.select({ userId: placeMember.userId }).from(placeMember).where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, invitee.id)));
			if (m) throw new AppError('already_member', { fields: { email: 'error.already_member' } });
		}
		// why: one pending invitation per address and place; a new one (new role, lost mail) replaces it.
		await tx.delete(invitation).where(and(eq(invitation.placeId, scope.placeId), eq(invitation.email, input.email), isNull(invitation.acceptedAt)));
		await tx.insert(invitation).values({ id, placeId: scope.placeId, email: input.email, roleId: r.id, tokenHash: hash, invitedBy: scope.userId, expiresAt, createdAt: now });
		const [p] = await tx.select({ name: place.name }).from(place).where(eq(place.id, scope.placeId));
		const [inviter] = scope.userId ? await tx.select({ name: user.name }).from(user).where(eq(user.id, scope.userId)) : [];
		const locale: Locale = invitee && isLocale(invitee.locale) ? invitee.locale : (opts.locale ?? 'fr');
		await queueMail(tx, {
			placeId: scope.placeId,
			to: input.email,
			locale,
			template: 'mail.invite',
			name: invitee?.name ?? null,
			placeName: p.name,
			params: { place: p.name, inviter: inviter?.name ?? p.name, role: r.name },
			url
		});
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'invitation.create', targetType: 'invitation', targetId: id, data: { email: input.email, role: r.key } });
	});
	// why: after commit, so a mail never announces an invitation that was rolled back.
	await flushOutbox(db).catch((err) => log().warn({ err }, 'invitation mail not sent yet'));
	return { id, token, url, email: input.email, expiresAt };
}

/** Pending (not accepted, not expired) invitations of the place (people.invite), oldest first. */
export async function listPendingInvitations(db: DbOrTx, scope: PlaceScope, now = new Date()) {
	requirePermission(scope, 'people.invite');
	return db
		.select({ id: invitation.id, email: invitation.email, roleKey: role.key, roleName: role.name, expiresAt: invitation.expiresAt, createdAt: invitation.createdAt, invitedBy: user.name })
		.from(invitation)
		.innerJoin(role, eq(role.id, invitation.roleId))
		.leftJoin(user, eq(user.id, invitation.invitedBy))
		.where(and(eq(invitation.placeId, scope.placeId), isNull(invitation.acceptedAt), gt(invitation.expiresAt, now)))
		.orderBy(asc(invitation.createdAt), asc(invitation.id));
}

/** Revokes a pending invitation of the place (people.invite): its link stops working. Audited. */
export async function revokeInvitation(db: Db, scope: PlaceScope, raw: unknown) {
	requirePermission(scope, 'people.invite');
	const { id } = parseInput(z.object({ id: z.string().trim().min(1, 'field.required').max(100, 'field.invalid') }), raw);
	await db.transaction(async (tx) => {
		const gone = await tx
			.delete(invitation)
			.where(and(eq(invitation.id, id), eq(invitation.placeId, scope.placeId), isNull(invitation.acceptedAt)))
			.returning({ email: invitation.email });
		if (gone.length === 0) throw new AppError('not_found', { detail: 'invitation' });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'invitation.revoke', targetType: 'invitation', targetId: id, data: { email: gone[0].email } });
	});
}

export interface InvitationView {
	id: string;
	email: string;
	expiresAt: Date;
	place: { id: string; slug: string; name: string; timezone: string };
	role: { key: string; name: string };
	invitedBy: string | null;
}

async function findValid(tx: DbOrTx, token: string, now: Date, lock: boolean) {
	// why: the token comes from a URL; refuse junk before hashing (and never say which check failed).
	if (typeof token !== 'string' || token.length < 16 || token.length > 200) throw new AppError('invalid_token');
	const q = tx
		.select({
			id: invitation.id,
			email: invitation.email,
			expiresAt: invitation.expiresAt,
			acceptedAt: invitation.acceptedAt,
			roleId: invitation.roleId,
			placeId: place.id,
			placeSlug: place.slug,
			placeName: place.name,
			placeTimezone: place.timezone,
			roleKey: role.key,
			roleName: role.name,
			invitedBy: user.name
		})
		.from(invitation)
		.innerJoin(place, eq(place.id, invitation.placeId))
		.innerJoin(role, eq(role.id, invitation.roleId))
		.leftJoin(user, eq(user.id, invitation.invitedBy))
		.where(eq(invitation.tokenHash, sha256(token)));
	const [row] = lock ? await q.for('update', { of: invitation }) : await q;
	if (!row || row.acceptedAt || row.expiresAt.getTime() <= now.getTime()) throw new AppError('invalid_token');
	return row;
}

function view(row: Awaited<ReturnType<typeof findValid>>): InvitationView {
	return {
		id: row.id,
		email: row.email,
		expiresAt: row.expiresAt,
		place: { id: row.placeId, slug: row.placeSlug, name: row.placeName, timezone: row.placeTimezone },
		role: { key: row.roleKey, name: row.roleName },
		invitedBy: row.invitedBy
	};
}

/** What an invitation link offers (public: the token is the proof). Throws invalid_token when unknown, used or expired. */
export async function getInvitationByToken(db: DbOrTx, token: string, now = new Date()): Promise<InvitationView> {
	return view(await findValid(db, token, now, false));
}

/**
 * Accepts an invitation for the signed-in person: joins the place with the invited role and marks the
 * invitation used, in one transaction. invalid_token when unknown/used/expired, already_member when the
 * person already belongs to the place (the invitation stays usable then). Audited.
 */
export async function acceptInvitation(db: Db, token: string, userId: string, now = new Date()): Promise<InvitationView> {
	return db.transaction(async (tx) => {
		const row = await findValid(tx, token, now, true);
		const [m] = await tx.select({ userId: placeMember.userId }).from(placeMember).where(and(eq(placeMember.placeId, row.placeId), eq(placeMember.userId, userId)));
		if (m) throw new AppError('already_member');
		await tx.insert(placeMember).values({ placeId: row.placeId, userId, roleId: row.roleId });
		const used = await tx
			.update(invitation)
			.set({ acceptedAt: now })
			.where(and(eq(invitation.id, row.id), isNull(invitation.acceptedAt)))
			.returning({ id: invitation.id });
		if (used.length === 0) throw new AppError('invalid_token');
		await audit(tx, { placeId: row.placeId, actorId: userId, action: 'invitation.accept', targetType: 'user', targetId: userId, data: { invitation: row.id, role: row.roleKey, email: row.email } });
		return view(row);
	});
}

/** Whether a person already belongs to a place (for the invitation page). */
export async function isMemberOf(db: DbOrTx, placeId: string, userId: string): Promise<boolean> {
	const [m] = await db.select({ n: sql<number>`1` }).from(placeMember).where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId))).limit(1);
	return Boolean(m);
}
