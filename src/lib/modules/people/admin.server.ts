// The place administration side of people: members and their roles, the audit log, the mail outbox.
// Every function takes a PlaceScope, checks its permission itself (the route checks too) and filters by
// scope.placeId, so a scope for place B can never read or change place A.
import { and, asc, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../server/db/client';
import { auditLog, mailOutbox, placeMember, role, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { parseInput } from '../../server/validation';
import { requirePermission, type PlaceScope } from '../places/policy';
import { mayResend } from './outbox-rules';

/** Rows per page on every admin list. */
export const PAGE_SIZE = 50;

/** The role key that must always keep at least one member in a place. */
export const ADMIN_ROLE_KEY = 'admin';

export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageCount: number;
}

/** Escapes LIKE/ILIKE wildcards so what a person types is matched literally (with ESCAPE '\'). */
export function escapeLike(s: string): string {
	return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page number from a query string value: 1 for anything that is not a positive integer. */
export function pageNumber(v: unknown): number {
	const n = typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : 1;
	return n >= 1 ? n : 1;
}

function paging(page: number, total: number) {
	const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
	return { page, pageCount, offset: (page - 1) * PAGE_SIZE };
}

// ---------------------------------------------------------------------------------------------- members

export interface MemberRow {
	userId: string;
	name: string;
	email: string;
	roleKey: string;
	roleName: string;
	since: Date;
	deleted: boolean;
}

/**
 * The members of the place, by name, 50 per page; `q` matches name or e-mail, case-insensitive, literally
 * (a '%' or '_' typed in the search box is not a wildcard).
 */
export async function listMembers(db: DbOrTx, scope: PlaceScope, opts: { q?: string; page?: number } = {}): Promise<Page<MemberRow>> {
	requirePermission(scope, 'people.view');
	const q = (opts.q ?? '').trim().slice(0, 200);
	const conds: SQL[] = [eq(placeMember.placeId, scope.placeId)];
	if (q) {
		const pattern = `%${escapeLike(q)}%`;
		conds.push(sql`(${user.name} ILIKE ${pattern} ESCAPE '\\' OR ${user.email} ILIKE ${pattern} ESCAPE '\\')`);
	}
	const where = and(...conds);
	const [{ n }] = await db.select({ n: count() }).from(placeMember).innerJoin(user, eq(user.id, placeMember.userId)).where(where);
	const total = Number(n);
	const { page, pageCount, offset } = paging(opts.page ?? 1, total);
	const rows = await db
		.select({ userId: user.id, name: user.name, email: user.email, roleKey: role.key, roleName: role.name, since: placeMember.createdAt, deletedAt: user.deletedAt })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(where)
		.orderBy(asc(sql`lower(${user.name})`), asc(user.id))
		.limit(PAGE_SIZE)
		.offset(offset);
	return { rows: rows.map(({ deletedAt, ...r }) => ({ ...r, deleted: deletedAt !== null })), total, page, pageCount };
}

/** The roles of the place with their permissions (for the role select, the invite form and the roles page). */
export async function listPlaceRoles(db: DbOrTx, scope: PlaceScope) {
	return db
		.select({ id: role.id, key: role.key, name: role.name, permissions: role.permissions, builtin: role.builtin })
		.from(role)
		.where(eq(role.placeId, scope.placeId))
		.orderBy(asc(role.createdAt), asc(role.key));
}

/**
 * Refuses to hand out (or take away) a role whose permissions the acting person does not hold
 * themselves: someone allowed to manage roles must not be able to make anyone, themselves included,
 * more powerful than they are.
 */
export function assertMayGrant(scope: PlaceScope, permissions: readonly string[], field = 'role'): void {
	if (permissions.some((p) => !scope.permissions.has(p))) {
		throw new AppError('forbidden', { fields: { [field]: 'error.forbidden' }, detail: 'role beyond the actor own permissions' });
	}
}

async function lockAdmins(tx: DbOrTx, placeId: string) {
	// why: two admins demoting each other at the same moment would both see "another admin remains";
	// locking the place's admin role row serialises every change that can remove an admin.
	await tx.select({ id: role.id }).from(role).where(and(eq(role.placeId, placeId), eq(role.key, ADMIN_ROLE_KEY))).for('update');
}

async function adminCount(tx: DbOrTx, placeId: string): Promise<number> {
	const [{ n }] = await tx
		.select({ n: count() })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, placeId), eq(role.key, ADMIN_ROLE_KEY)));
	return Number(n);
}

async function memberForUpdate(tx: DbOrTx, placeId: string, userId: string) {
	const [m] = await tx
		.select({ userId: placeMember.userId, roleId: role.id, roleKey: role.key, permissions: role.permissions })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId)))
		.for('update', { of: placeMember });
	if (!m) throw new AppError('not_found', { detail: 'member' });
	return m;
}

export const memberRoleInput = z.object({
	userId: z.string().trim().min(1, 'field.required').max(100, 'field.invalid'),
	role: z.string().trim().min(1, 'field.required').max(40, 'field.invalid')
});

/**
 * Changes a member's role (people.roles). Refuses to demote the last admin (last_admin). Takes effect on
 * the member's next request, since permissions are read from the database each time. Audited.
 */
export async function changeMemberRole(db: Db, scope: PlaceScope, raw: unknown) {
	requirePermission(scope, 'people.roles');
	const input = parseInput(memberRoleInput, raw);
	return db.transaction(async (tx) => {
		await lockAdmins(tx, scope.placeId);
		const m = await memberForUpdate(tx, scope.placeId, input.userId);
		const [target] = await tx.select().from(role).where(and(eq(role.placeId, scope.placeId), eq(role.key, input.role)));
		if (!target) throw new AppError('invalid_input', { fields: { role: 'field.invalid' } });
		if (target.id === m.roleId) return { changed: false, from: m.roleKey, to: target.key };
		assertMayGrant(scope, m.permissions);
		assertMayGrant(scope, target.permissions);
		if (m.roleKey === ADMIN_ROLE_KEY && (await adminCount(tx, scope.placeId)) <= 1) throw new AppError('last_admin');
		await tx.update(placeMember).set({ roleId: target.id }).where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, input.userId)));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'member.role', targetType: 'user', targetId: input.userId, data: { from: m.roleKey, to: target.key } });
		return { changed: true, from: m.roleKey, to: target.key };
	});
}

/** Removes a person from the place (people.roles); never the last admin (last_admin). Audited. */
export async function removeMember(db: Db, scope: PlaceScope, raw: unknown) {
	requirePermission(scope, 'people.roles');
	const { userId } = parseInput(memberRoleInput.pick({ userId: true }), raw);
	await db.transaction(async (tx) => {
		await lockAdmins(tx, scope.placeId);
		const m = await memberForUpdate(tx, scope.placeId, userId);
		assertMayGrant(scope, m.permissions);
		if (m.roleKey === ADMIN_ROLE_KEY && (await adminCount(tx, scope.placeId)) <= 1) throw new AppError('last_admin');
		await tx.delete(placeMember).where(and(eq(placeMember.placeId, scope.placeId), eq(placeMember.userId, userId)));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'member.remove', targetType: 'user', targetId: userId, data: { role: m.roleKey } });
	});
}

// ------------------------------------------------------------------------------------------------ audit

export interface AuditRow {
	id: number;
	at: Date;
	action: string;
	targetType: string | null;
	targetId: string | null;
	data: Record<string, unknown>;
	actorId: string | null;
	/** The actor's name; null when the account was erased (or never existed); see actorId for system entries. */
	actorName: string | null;
}

/** The place's audit log, newest first, 50 per page, optionally only actions starting with `action`. */
export async function listAudit(db: DbOrTx, scope: PlaceScope, opts: { action?: string; page?: number } = {}): Promise<Page<AuditRow>> {
	requirePermission(scope, 'audit.view');
	const prefix = (opts.action ?? '').trim().slice(0, 100);
	const conds: SQL[] = [eq(auditLog.placeId, scope.placeId)];
	if (prefix) conds.push(sql`${auditLog.action} LIKE ${escapeLike(prefix) + '%'} ESCAPE '\\'`);
	const where = and(...conds);
	const [{ n }] = await db.select({ n: count() }).from(auditLog).where(where);
	const total = Number(n);
	const { page, pageCount, offset } = paging(opts.page ?? 1, total);
	const rows = await db
		.select({
			id: auditLog.id,
			at: auditLog.at,
			action: auditLog.action,
			targetType: auditLog.targetType,
			targetId: auditLog.targetId,
			data: auditLog.data,
			actorId: auditLog.actorId,
			actorName: user.name,
			actorDeletedAt: user.deletedAt
		})
		.from(auditLog)
		.leftJoin(user, eq(user.id, auditLog.actorId))
		.where(where)
		.orderBy(desc(auditLog.at), desc(auditLog.id))
		.limit(PAGE_SIZE)
		.offset(offset);
	return {
		rows: rows.map(({ actorDeletedAt, ...r }) => ({ ...r, actorName: actorDeletedAt ? null : r.actorName })),
		total,
		page,
		pageCount
	};
}

// ----------------------------------------------------------------------------------------------- outbox

export interface OutboxRow {
	id: number;
	/** Tries made so far (a mail the server refused is tried again later; see MAIL_RETRY_MINUTES). */
	attempts: number;
	/** When a refused mail is tried next (null: not waiting for a retry). */
	retryAt: Date | null;
	to: string;
	subject: string;
	text: string;
	template: string;
	status: string;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
	/** Names of the attached files (the content stays in the database). */
	attachmentNames: string[];
}

const outboxColumns = {
	id: mailOutbox.id,
	attempts: mailOutbox.attempts,
	retryAt: mailOutbox.retryAt,
	to: mailOutbox.to,
	subject: mailOutbox.subject,
	text: mailOutbox.text,
	template: mailOutbox.template,
	status: mailOutbox.status,
	error: mailOutbox.error,
	createdAt: mailOutbox.createdAt,
	sentAt: mailOutbox.sentAt,
	// why: names only; an outbox page must not load every PDF it lists.
	attachmentNames: sql<string[]>`coalesce((SELECT array_agg(a->>'filename') FROM jsonb_array_elements(${mailOutbox.attachments}) AS a), '{}')`
};

async function outboxPage(db: DbOrTx, where: SQL | undefined, pageNo: number): Promise<Page<OutboxRow>> {
	const [{ n }] = await db.select({ n: count() }).from(mailOutbox).where(where);
	const total = Number(n);
	const { page, pageCount, offset } = paging(pageNo, total);
	const rows = await db.select(outboxColumns).from(mailOutbox).where(where).orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id)).limit(PAGE_SIZE).offset(offset);
	return { rows, total, page, pageCount };
}

/** The place's mails (outbox.view), newest first, 50 per page. */
export async function listPlaceOutbox(db: DbOrTx, scope: PlaceScope, opts: { page?: number } = {}): Promise<Page<OutboxRow>> {
	requirePermission(scope, 'outbox.view');
	return outboxPage(db, eq(mailOutbox.placeId, scope.placeId), opts.page ?? 1);
}

// why: mail_outbox.id is a bigserial read as a JS number: past the safe integers a number names no mail.
const resendInput = z.object({ id: z.coerce.number('field.invalid').int('field.invalid').positive('field.invalid').max(Number.MAX_SAFE_INTEGER, 'field.invalid') });

/** Instance-wide mails (no place) are for the instance's operators only. */
function requireOperator<V extends { isOperator: boolean }>(viewer: V | null): V {
	if (!viewer) throw new AppError('unauthenticated');
	if (!viewer.isOperator) throw new AppError('forbidden', { detail: 'instance outbox is for operators' });
	return viewer;
}

/**
 * Sends a mail again now, by hand: one the SMTP server refused until its last retry (failed), or one waiting for its
 * next retry. It goes back to pending with its tries counted from zero (the mail job or kickOutbox sends it); audited.
 * A place's mails need outbox.view there (`{ scope }`); instance mails are for operators (`{ operator }`).
 */
export async function resendMail(db: Db, who: { scope: PlaceScope } | { operator: { id: string; isOperator: boolean } | null }, raw: unknown): Promise<void> {
	const { id } = parseInput(resendInput, raw);
	let placeId: string | null = null;
	let actorId: string | null;
	if ('scope' in who) {
		requirePermission(who.scope, 'outbox.view');
		[placeId, actorId] = [who.scope.placeId, who.scope.userId];
	} else actorId = requireOperator(who.operator).id;
	await db.transaction(async (tx) => {
		const [m] = await tx
			.select({ status: mailOutbox.status, attempts: mailOutbox.attempts })
			.from(mailOutbox)
			.where(and(eq(mailOutbox.id, id), placeId === null ? isNull(mailOutbox.placeId) : eq(mailOutbox.placeId, placeId)))
			.for('update');
		if (!m) throw new AppError('not_found', { detail: 'mail' });
		if (!mayResend(m)) throw new AppError('conflict', { fields: { _: m.status === 'sent' ? 'admin.outbox.already_sent' : 'admin.outbox.not_resendable' } });
		await tx.update(mailOutbox).set({ status: 'pending', attempts: 0, retryAt: null, error: null }).where(eq(mailOutbox.id, id));
		await audit(tx, { placeId, actorId, action: 'mail.resend', targetType: 'mail', targetId: String(id), data: { status: m.status, attempts: m.attempts } });
	});
}

/**
 * Instance-wide mails with no place (sign-in links, password resets): only for instance operators, since
 * they concern every place's people.
 */
export async function listInstanceOutbox(db: DbOrTx, viewer: { isOperator: boolean } | null, opts: { page?: number } = {}): Promise<Page<OutboxRow>> {
	requireOperator(viewer);
	return outboxPage(db, isNull(mailOutbox.placeId), opts.page ?? 1);
}
