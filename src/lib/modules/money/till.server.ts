// The staff till ("caisse"): cash drawer sessions, reading one receipt, listing a day's receipts and
// e-mailing a receipt. One transaction per write, audit entry inside it.
import { z } from 'zod';
import { and, desc, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { cashSession, closure, place, receipt } from '../../server/db/schema';
import { AppError, pgErrorCode } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { flushOutbox, queueMail } from '../../server/mail';
import type { Locale } from '../../i18n';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { addDays, zonedTimeToUtc } from '../places/time';
import { cashPart, receiptText, receiptView, type PlaceIdentity, type ReceiptRecord } from './till';
import { listReceipts } from './queries.server';
import { receiptPdf } from './receipt-pdf.server';

export type CashSession = typeof cashSession.$inferSelect;

const tillName = z.string('field.invalid').trim().min(1, 'field.required').max(40, 'field.invalid');
const cents = z.number('field.invalid').int('field.invalid').min(0, 'field.invalid').max(100_000_000, 'field.invalid');

export const openSessionInput = z.strictObject({ till: tillName.default('1'), openingFloatCents: cents });
export const closeSessionInput = z.strictObject({
	till: tillName.default('1'),
	countedCents: cents,
	note: z.string('field.invalid').trim().max(500, 'field.too_long').optional()
});

/** Receipts' readers: the till staff (cafe.sell) or whoever may see the money (money.view). */
function requireTillReader(scope: PlaceScope) {
	requireMember(scope);
	if (!can(scope, 'cafe.sell') && !can(scope, 'money.view')) throw new AppError('forbidden', { detail: 'missing cafe.sell' });
}

/**
 * Cash taken by the real receipts of a till in [from, to): the cash payments of sales, minus those of
 * corrections (training receipts never count).
 */
export async function cashTaken(db: DbOrTx, placeId: string, till: string, from: Date, to: Date): Promise<number> {
	const rows = await db
		.select({ payments: receipt.payments })
		.from(receipt)
		.where(and(eq(receipt.placeId, placeId), eq(receipt.till, till), eq(receipt.training, false), gte(receipt.issuedAt, from), lt(receipt.issuedAt, to)));
	return rows.reduce((s, r) => s + cashPart(r.payments), 0);
}

/** The open session of a till, if any. */
export async function currentCashSession(db: DbOrTx, scope: PlaceScope, till: string): Promise<CashSession | undefined> {
	requireTillReader(scope);
	const [s] = await db
		.select()
		.from(cashSession)
		.where(and(eq(cashSession.placeId, scope.placeId), eq(cashSession.till, till), isNull(cashSession.closedAt)));
	return s;
}

/** The place's sessions, newest first (at most `limit`). */
export async function listCashSessions(db: DbOrTx, scope: PlaceScope, limit = 50): Promise<CashSession[]> {
	requireTillReader(scope);
	return db.select().from(cashSession).where(eq(cashSession.placeId, scope.placeId)).orderBy(desc(cashSession.openedAt)).limit(limit);
}

/**
 * Opens the cash drawer of a till with the float counted (cafe.sell). At most one open session per till:
 * a second opening, even at the same instant, gets a conflict (partial unique index).
 */
export async function openCashSession(db: Db, scope: PlaceScope, raw: z.input<typeof openSessionInput>, opts: { now?: Date } = {}): Promise<CashSession> {
	requirePermission(scope, 'cafe.sell');
	const input = parseInput(openSessionInput, raw);
	try {
		return await db.transaction(async (tx) => {
			const [s] = await tx
				.insert(cashSession)
				.values({ id: newId(), placeId: scope.placeId, till: input.till, openedAt: opts.now ?? new Date(), openedBy: scope.userId, openingFloatCents: input.openingFloatCents })
				.returning();
			await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.cash_session_open', targetType: 'cash_session', targetId: s.id, data: { till: s.till, openingFloatCents: s.openingFloatCents } });
			return s;
		});
	} catch (e) {
		if (pgErrorCode(e) === '23505') throw new AppError('conflict', { detail: 'cash session already open', fields: { till: 'till.session.already_open' }, cause: e });
		throw e;
	}
}

/**
 * Closes the open session of a till (cafe.sell): expected = float + cash taken by the till's real receipts
 * since the opening; records what was counted and the difference (counted − expected, may be negative).
 * The session row is locked, so two closings at once close it once (the other gets not_open).
 */
export async function closeCashSession(db: Db, scope: PlaceScope, raw: z.input<typeof closeSessionInput>, opts: { now?: Date } = {}): Promise<CashSession> {
	requirePermission(scope, 'cafe.sell');
	const input = parseInput(closeSessionInput, raw);
	return db.transaction(async (tx) => {
		const [open] = await tx
			.select()
			.from(cashSession)
			.where(and(eq(cashSession.placeId, scope.placeId), eq(cashSession.till, input.till), isNull(cashSession.closedAt)))
			.for('update');
		// why: re-read under the lock: a concurrent closing may have closed it while we waited.
		if (!open || open.closedAt) throw new AppError('invalid_input', { fields: { till: 'till.session.not_open' } });
		const closedAt = new Date(Math.max((opts.now ?? new Date()).getTime(), open.openedAt.getTime()));
		// why: receipts issued up to and including the closing instant count (the sale just before closing).
		const expected = open.openingFloatCents + (await cashTaken(tx, scope.placeId, open.till, open.openedAt, new Date(closedAt.getTime() + 1)));
		const [closed] = await tx
			.update(cashSession)
			.set({ closedAt, closedBy: scope.userId, countedCents: input.countedCents, expectedCents: expected, differenceCents: input.countedCents - expected, note: input.note || null })
			.where(and(eq(cashSession.id, open.id), isNull(cashSession.closedAt)))
			.returning();
		if (!closed) throw new AppError('invalid_input', { fields: { till: 'till.session.not_open' } });
		await audit(tx, {
			placeId: scope.placeId,
			actorId: scope.userId,
			action: 'money.cash_session_close',
			targetType: 'cash_session',
			targetId: closed.id,
			data: { till: closed.till, expectedCents: expected, countedCents: input.countedCents, differenceCents: closed.differenceCents }
		});
		return closed;
	});
}

/** Cash expected in an open session's drawer at `now`. */
export async function expectedNow(db: DbOrTx, s: CashSession, now = new Date()): Promise<number> {
	return s.openingFloatCents + (await cashTaken(db, s.placeId, s.till, s.openedAt, new Date(now.getTime() + 1)));
}

/** A receipt of the place with the receipt it corrects and the correction that cancels it, if any. */
export async function getReceipt(db: DbOrTx, scope: PlaceScope, id: string) {
	requireTillReader(scope);
	if (typeof id !== 'string' || id.length > 64) throw new AppError('not_found', { detail: 'receipt' });
	const [r] = await db.select().from(receipt).where(and(eq(receipt.placeId, scope.placeId), eq(receipt.id, id)));
	if (!r) throw new AppError('not_found', { detail: 'receipt' });
	const related = await db
		.select({ id: receipt.id, number: receipt.number, series: receipt.series, training: receipt.training, correctsId: receipt.correctsId })
		.from(receipt)
		.where(and(eq(receipt.placeId, scope.placeId), r.correctsId ? inArray(receipt.id, [r.correctsId]) : eq(receipt.correctsId, r.id)));
	return {
		receipt: r,
		corrected: r.correctsId ? (related.find((x) => x.id === r.correctsId) ?? null) : null,
		correctedBy: r.correctsId ? null : (related.find((x) => x.correctsId === r.id) ?? null)
	};
}

/** The identity a receipt prints (name, address, SIRET, VAT number, zone). */
export async function placeIdentity(db: DbOrTx, scope: PlaceScope): Promise<PlaceIdentity> {
	const [p] = await db.select({ name: place.name, address: place.address, siret: place.siret, vatNumber: place.vatNumber, timezone: place.timezone }).from(place).where(eq(place.id, scope.placeId));
	if (!p) throw new AppError('not_found', { detail: 'place' });
	return p;
}

/** Receipts of one day (YYYY-MM-DD in the place's zone), real or training. */
export async function receiptsOfDay(db: DbOrTx, scope: PlaceScope, date: string, training: boolean) {
	const from = zonedTimeToUtc(date, '00:00', scope.timezone);
	const to = zonedTimeToUtc(addDays(date, 1), '00:00', scope.timezone);
	return listReceipts(db, scope, { from, to, training });
}

export const mailReceiptInput = z.strictObject({
	receiptId: z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid'),
	to: z.string('field.required').trim().min(1, 'field.required').max(254, 'field.too_long').pipe(z.email('field.email'))
});

/**
 * E-mails a receipt (cafe.sell): a mail in the outbox with the whole receipt in its body (the mail module has
 * no attachments), in the given language. The address is not kept in the audit entry (personal data).
 */
export async function mailReceipt(db: Db, scope: PlaceScope, raw: z.input<typeof mailReceiptInput>, locale: Locale): Promise<{ mailId: number }> {
	requirePermission(scope, 'cafe.sell');
	const input = parseInput(mailReceiptInput, raw);
	// why: the receipt is immutable, so it is read and its PDF drawn before the transaction, which stays short.
	const { receipt: r, corrected } = await getReceipt(db, scope, input.receiptId);
	const identity = await placeIdentity(db, scope);
	const v = receiptView(r as ReceiptRecord, identity, locale, corrected);
	const pdf = await receiptPdf(v, locale);
	const out = await db.transaction(async (tx) => {
		const mailId = await queueMail(tx, {
			placeId: scope.placeId,
			to: input.to,
			locale,
			template: 'till.mail.receipt',
			placeName: identity.name,
			params: { number: v.number, date: v.dateTime, total: v.total },
			extra: receiptText(v, locale).filter((l) => l.trim() !== ''),
			attachments: [{ filename: `ticket-${v.number}.pdf`, contentType: 'application/pdf', content: pdf }]
		});
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.receipt_mail', targetType: 'receipt', targetId: r.id, data: { number: r.number, training: r.training } });
		return { mailId };
	});
	await flushOutbox(db).catch(() => 0);
	return out;
}

/** One closure (Z) of the place, for the till's "close the day" page. */
export async function getClosure(db: DbOrTx, scope: PlaceScope, id: string) {
	requireTillReader(scope);
	if (typeof id !== 'string' || id.length > 64) return undefined;
	const [c] = await db.select().from(closure).where(and(eq(closure.placeId, scope.placeId), eq(closure.id, id)));
	return c;
}
