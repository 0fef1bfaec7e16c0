// Wallets: prepaid credit (cents) and hour packs (minutes) per person and place, as an append-only ledger
// (wallet_entry) whose sum is the balance (kept in `wallet` by a trigger, checked >= 0). Every movement locks
// the wallet row first, so concurrent spends serialise and none can overdraw.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { placeMember, user } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { registerSellable } from './checkout-registry.server';
import { wallet, walletEntry, walletPack, WALLET_UNITS, type WalletEntryKind, type WalletUnit } from './checkout-schema';

export type WalletEntry = typeof walletEntry.$inferSelect;
export type WalletPack = typeof walletPack.$inferSelect;

/** Largest single movement: 1 000 000 cents (10 000 €) or 1 000 000 minutes. */
export const MAX_WALLET_MOVE = 1_000_000;

export interface WalletMove {
	placeId: string;
	userId: string;
	unit: WalletUnit;
	/** Signed amount: > 0 credits, < 0 debits. */
	amount: number;
	kind: WalletEntryKind;
	orderId?: string | null;
	actorId: string | null;
	note?: string | null;
}

/**
 * Appends a movement inside the caller's transaction: locks the wallet row (created at 0 on first use),
 * refuses a debit larger than the balance (conflict, field amount = wallet.insufficient), inserts the entry
 * (the trigger moves the balance). Returns the entry and the new balance.
 */
export async function appendWalletEntry(tx: Tx, m: WalletMove): Promise<{ entry: WalletEntry; balance: number }> {
	if (!Number.isSafeInteger(m.amount) || m.amount === 0 || Math.abs(m.amount) > MAX_WALLET_MOVE) throw new AppError('invalid_input', { fields: { amount: 'field.invalid' } });
	// why: one writer per wallet at a time: the balance read below stays true until this transaction ends.
	await tx.insert(wallet).values({ placeId: m.placeId, userId: m.userId, unit: m.unit, balance: 0 }).onConflictDoNothing();
	const [w] = await tx
		.select({ balance: wallet.balance })
		.from(wallet)
		.where(and(eq(wallet.placeId, m.placeId), eq(wallet.userId, m.userId), eq(wallet.unit, m.unit)))
		.for('update');
	if (w.balance + m.amount < 0) throw new AppError('conflict', { detail: 'wallet balance too low', fields: { amount: 'wallet.insufficient' } });
	const [entry] = await tx
		.insert(walletEntry)
		.values({ id: newId(), placeId: m.placeId, userId: m.userId, unit: m.unit, amount: m.amount, kind: m.kind, orderId: m.orderId ?? null, actorId: m.actorId, note: m.note ?? null })
		.returning();
	return { entry, balance: w.balance + m.amount };
}

/**
 * Consumes minutes of a person's hour packs (for the machine bookings module), inside its transaction.
 * Refuses (conflict) when the balance is too low.
 */
export async function spendMinutes(tx: Tx, m: { placeId: string; userId: string; minutes: number; actorId: string | null; orderId?: string | null; note?: string | null }) {
	if (!Number.isInteger(m.minutes) || m.minutes <= 0) throw new AppError('invalid_input', { fields: { minutes: 'field.invalid' } });
	return appendWalletEntry(tx, { placeId: m.placeId, userId: m.userId, unit: 'minutes', amount: -m.minutes, kind: 'spend', orderId: m.orderId, actorId: m.actorId, note: m.note });
}

export interface WalletView {
	cents: number;
	minutes: number;
	entries: WalletEntry[];
}

/** Balances of one person's wallets in a place (0 when none). */
export async function walletBalances(db: DbOrTx, placeId: string, userId: string): Promise<{ cents: number; minutes: number }> {
	const rows = await db
		.select({ unit: wallet.unit, balance: wallet.balance })
		.from(wallet)
		.where(and(eq(wallet.placeId, placeId), eq(wallet.userId, userId)));
	return { cents: rows.find((r) => r.unit === 'cents')?.balance ?? 0, minutes: rows.find((r) => r.unit === 'minutes')?.balance ?? 0 };
}

/** The caller's own wallet in the place: balances and the latest movements (newest first). */
export async function myWallet(db: DbOrTx, scope: PlaceScope, limit = 100): Promise<WalletView> {
	requireMember(scope);
	return walletOf(db, scope.placeId, scope.userId!, limit);
}

async function walletOf(db: DbOrTx, placeId: string, userId: string, limit: number): Promise<WalletView> {
	const balances = await walletBalances(db, placeId, userId);
	const entries = await db
		.select()
		.from(walletEntry)
		.where(and(eq(walletEntry.placeId, placeId), eq(walletEntry.userId, userId)))
		.orderBy(desc(walletEntry.createdAt), desc(walletEntry.id))
		.limit(Math.min(Math.max(limit, 1), 500));
	return { ...balances, entries };
}

/** Sum of the ledger of one wallet (the balance must always equal it). */
export async function ledgerSum(db: DbOrTx, placeId: string, userId: string, unit: WalletUnit): Promise<number> {
	const [r] = await db
		.select({ s: sql<string>`coalesce(sum(${walletEntry.amount}), 0)` })
		.from(walletEntry)
		.where(and(eq(walletEntry.placeId, placeId), eq(walletEntry.userId, userId), eq(walletEntry.unit, unit)));
	return Number(r.s);
}

/** A member of the place found by e-mail (staff forms name people by their e-mail). */
export async function memberByEmail(db: DbOrTx, placeId: string, email: string): Promise<{ id: string; name: string } | undefined> {
	const [m] = await db
		.select({ id: user.id, name: user.name })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.where(and(eq(placeMember.placeId, placeId), sql`lower(${user.email}) = lower(${email})`))
		.limit(1);
	return m;
}

const email = z.string('field.required').trim().min(1, 'field.required').max(254, 'field.invalid').email('field.invalid');
const reason = z.string('field.required').trim().min(3, 'field.required').max(500, 'field.too_long');

export const walletAdjustInput = z.strictObject({
	email,
	unit: z.enum(WALLET_UNITS, 'field.invalid'),
	/** Signed: cents or minutes. */
	amount: z.coerce.number('field.invalid').int('field.invalid').min(-MAX_WALLET_MOVE, 'field.invalid').max(MAX_WALLET_MOVE, 'field.invalid').refine((v) => v !== 0, 'field.invalid'),
	reason
});
export type WalletAdjustInput = z.input<typeof walletAdjustInput>;

/** A staff correction of someone's wallet (money.manage), with a reason, audited. */
export async function adjustWallet(db: Db, scope: PlaceScope, raw: WalletAdjustInput): Promise<WalletEntry> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(walletAdjustInput, raw);
	return db.transaction(async (tx) => {
		const who = await memberByEmail(tx, scope.placeId, input.email);
		if (!who) throw new AppError('invalid_input', { fields: { email: 'wallet.unknown_member' } });
		const { entry, balance } = await appendWalletEntry(tx, { placeId: scope.placeId, userId: who.id, unit: input.unit, amount: input.amount, kind: 'adjustment', actorId: scope.userId, note: input.reason });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.wallet_adjust', targetType: 'user', targetId: who.id, data: { unit: input.unit, amount: input.amount, balance, reason: input.reason, entryId: entry.id } });
		return entry;
	});
}

export const walletRefundInput = z.strictObject({
	email,
	amountCents: z.coerce.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(MAX_WALLET_MOVE, 'field.invalid'),
	reason,
	orderId: z.string().trim().max(64, 'field.invalid').optional()
});
export type WalletRefundInput = z.input<typeof walletRefundInput>;

/** A refund as credit (money.manage): euros put back on someone's wallet, audited. */
export async function refundAsCredit(db: Db, scope: PlaceScope, raw: WalletRefundInput): Promise<WalletEntry> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(walletRefundInput, raw);
	return db.transaction(async (tx) => {
		const who = await memberByEmail(tx, scope.placeId, input.email);
		if (!who) throw new AppError('invalid_input', { fields: { email: 'wallet.unknown_member' } });
		const { entry, balance } = await appendWalletEntry(tx, {
			placeId: scope.placeId,
			userId: who.id,
			unit: 'cents',
			amount: input.amountCents,
			kind: 'refund_credit',
			actorId: scope.userId,
			note: input.reason
		});
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.wallet_refund', targetType: 'user', targetId: who.id, data: { amountCents: input.amountCents, balance, reason: input.reason, entryId: entry.id } });
		return entry;
	});
}

export const walletPackInput = z.strictObject({
	label: z.string('field.required').trim().min(1, 'field.required').max(120, 'field.too_long'),
	unit: z.enum(WALLET_UNITS, 'field.invalid'),
	amount: z.coerce.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(MAX_WALLET_MOVE, 'field.invalid'),
	priceCents: z.coerce.number('field.invalid').int('field.invalid').min(0, 'field.invalid').max(MAX_WALLET_MOVE, 'field.invalid')
});
export type WalletPackInput = z.input<typeof walletPackInput>;

/** Adds a credit or hour pack to what the wallet page sells (money.manage). */
export async function createWalletPack(db: Db, scope: PlaceScope, raw: WalletPackInput): Promise<WalletPack> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(walletPackInput, raw);
	return db.transaction(async (tx) => {
		const [p] = await tx
			.insert(walletPack)
			.values({ id: newId(), placeId: scope.placeId, ...input })
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.wallet_pack_create', targetType: 'wallet_pack', targetId: p.id, data: { ...input } });
		return p;
	});
}

/** Active packs of the place (anyone may read the offer). */
export async function listWalletPacks(db: DbOrTx, scope: PlaceScope): Promise<WalletPack[]> {
	return db
		.select()
		.from(walletPack)
		.where(and(eq(walletPack.placeId, scope.placeId), eq(walletPack.active, true)))
		.orderBy(asc(walletPack.unit), asc(walletPack.priceCents), asc(walletPack.id));
}

/** Staff view of someone's wallet (money.manage or money.view). */
export async function walletOfMember(db: DbOrTx, scope: PlaceScope, userId: string, limit = 100): Promise<WalletView> {
	if (!can(scope, 'money.view')) requirePermission(scope, 'money.manage');
	return walletOf(db, scope.placeId, userId, limit);
}

// The 'wallet_credit' sellable: buying credit or an hour pack. Nothing to hold while the order is pending; paying
// credits the buyer's wallet (details: { unit, amount } per unit sold).
registerSellable('wallet_credit', {
	async reserve(_tx, { order }) {
		if (!order.buyerId) throw new AppError('invalid_input', { fields: { lines: 'wallet.needs_buyer' } });
	},
	async confirm(tx, { order, line, placeId }) {
		const unit = line.details.unit as WalletUnit;
		const amount = Number(line.details.amount) * line.quantity;
		await appendWalletEntry(tx, { placeId, userId: order.buyerId!, unit, amount, kind: unit === 'minutes' ? 'hour_pack' : 'topup', orderId: order.id, actorId: null, note: line.label });
	},
	async release() {
		/* nothing was held */
	}
});

/** Names of members of the place by id (for staff lists); people who left the place are not named. */
export async function memberNames(db: DbOrTx, placeId: string, ids: string[]): Promise<Map<string, string>> {
	if (!ids.length) return new Map();
	const rows = await db
		.select({ id: user.id, name: user.name })
		.from(placeMember)
		.innerJoin(user, eq(user.id, placeMember.userId))
		.where(and(eq(placeMember.placeId, placeId), inArray(user.id, [...new Set(ids)])));
	return new Map(rows.map((r) => [r.id, r.name]));
}
