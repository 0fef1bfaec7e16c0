// The shared checkout (decision 009): one order model for everything a place sells. A module turns what it
// sells into order lines of a registered sellable kind (checkout-registry.server.ts); the checkout creates
// the order and calls each kind's reserve() in the same transaction, then confirm() when the order is paid
// (on site, online, by wallet) or release() when it fails, expires or is cancelled. A paid order writes one
// receipt into the till journal (appendReceipt) in the same transaction as the status change.
import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx, Tx } from '../../server/db/client';
import { place, product, productPrice, type Activity, type Audience, type PaymentMethod, type ReceiptLine, type SaleContext } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { log } from '../../server/log';
import { parseInput } from '../../server/validation';
import { can, requireMember, requirePermission, type PlaceScope } from '../places/policy';
import { wallClock } from '../places/time';
import { SALE_CONTEXTS } from './schema';
import { appendReceipt, loadVatRates, type Receipt } from './commands.server';
import { buildLine, resolveVatRate, totalsPerRate, type ResolvedRate, type VatRateRow } from './rules';
import { checkoutOrder, checkoutOrderLine, paymentEvent, walletPack, type OrderProvider, type OrderStatus, type OrderVatCategory } from './checkout-schema';
import { getSellable, registerSellable, type OrderLineRow, type OrderRow, type ReleaseReason, type SellableContext } from './checkout-registry.server';
import { appendWalletEntry } from './wallet.server';

export type { OrderRow, OrderLineRow } from './checkout-registry.server';
export { registerSellable } from './checkout-registry.server';

/** How long a new order waits for its payment. */
export const ORDER_TTL_MS = 60 * 60 * 1000;
/** Largest order total (cents), as for counter sales. */
const MAX_TOTAL = 100_000_000;
/** Methods staff may record for an on-site payment. */
export const ONSITE_METHODS = ['cash', 'card', 'cheque', 'transfer'] as const satisfies readonly PaymentMethod[];

/** A line as a module hands it to the checkout (priced by that module, VAT included). */
export interface OrderLineDraft {
	kind: string;
	refId?: string | null;
	productId?: string | null;
	label: string;
	activity: Activity;
	quantity: number;
	unitPriceCents: number;
	vatCategory: OrderVatCategory;
	context?: SaleContext;
	details?: Record<string, unknown>;
}

export interface OrderWithLines extends OrderRow {
	lines: OrderLineRow[];
}

/** The VAT rate of an order line on a date: vouchers are outside scope, the rest from the rate table. */
function lineRate(rates: readonly VatRateRow[], l: { vatCategory: OrderVatCategory; context: SaleContext }, date: string): ResolvedRate | undefined {
	if (l.vatCategory === 'voucher') return { rateBp: 0, outsideScope: true };
	return resolveVatRate(rates, l.vatCategory, l.context, date);
}

/**
 * Creates a pending order inside the caller's transaction and reserves every line (module API). Throws
 * invalid_input for an unknown kind, a line without VAT rate or a bad quantity; a sellable may refuse
 * (capacity_reached, conflict…) and then nothing is written (the caller's transaction rolls back).
 */
export async function openOrder(
	tx: Tx,
	o: { placeId: string; timezone: string; buyerId: string | null; createdBy: string | null; lines: OrderLineDraft[]; now?: Date; ttlMs?: number }
): Promise<OrderWithLines> {
	const now = o.now ?? new Date();
	if (!o.lines.length || o.lines.length > 200) throw new AppError('invalid_input', { fields: { lines: 'field.required' } });
	const rates = await loadVatRates(tx);
	const date = wallClock(now, o.timezone).date;
	const fields: Record<string, string> = {};
	o.lines.forEach((l, i) => {
		if (!getSellable(l.kind)) fields[`lines.${i}.kind`] = 'field.invalid';
		else if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > 999) fields[`lines.${i}.quantity`] = 'field.invalid';
		else if (!Number.isSafeInteger(l.unitPriceCents) || l.unitPriceCents < 0) fields[`lines.${i}.unitPriceCents`] = 'field.invalid';
		else if (!lineRate(rates, { vatCategory: l.vatCategory, context: l.context ?? 'on_site' }, date)) fields[`lines.${i}.context`] = 'money.no_vat_rate';
	});
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
	const totalCents = o.lines.reduce((s, l) => s + l.unitPriceCents * l.quantity, 0);
	if (totalCents > MAX_TOTAL) throw new AppError('invalid_input', { fields: { lines: 'money.total_too_large' } });
	const id = newId();
	const [order] = await tx
		.insert(checkoutOrder)
		.values({ id, placeId: o.placeId, buyerId: o.buyerId, status: 'pending', totalCents, expiresAt: new Date(now.getTime() + (o.ttlMs ?? ORDER_TTL_MS)), createdBy: o.createdBy, createdAt: now, updatedAt: now })
		.returning();
	const lines = await tx
		.insert(checkoutOrderLine)
		.values(
			o.lines.map((l, i) => ({
				orderId: id,
				placeId: o.placeId,
				position: i + 1,
				kind: l.kind,
				refId: l.refId ?? null,
				productId: l.productId ?? null,
				label: l.label,
				activity: l.activity,
				quantity: l.quantity,
				unitPriceCents: l.unitPriceCents,
				vatCategory: l.vatCategory,
				context: l.context ?? 'on_site',
				details: l.details ?? {}
			}))
		)
		.returning();
	lines.sort((a, b) => a.position - b.position);
	for (const line of lines) await getSellable(line.kind)!.reserve(tx, { placeId: o.placeId, order, line, actorId: o.createdBy, now });
	return { ...order, lines };
}

async function linesOf(tx: DbOrTx, orderId: string): Promise<OrderLineRow[]> {
	return tx.select().from(checkoutOrderLine).where(eq(checkoutOrderLine.orderId, orderId)).orderBy(asc(checkoutOrderLine.position));
}

/** Locks an order row for the rest of the transaction (every status change goes through this lock). */
async function lockOrder(tx: Tx, orderId: string, placeId?: string): Promise<OrderRow | undefined> {
	const conds = [eq(checkoutOrder.id, orderId)];
	if (placeId) conds.push(eq(checkoutOrder.placeId, placeId));
	const [o] = await tx
		.select()
		.from(checkoutOrder)
		.where(and(...conds))
		.for('update');
	return o;
}

function ctxFor(order: OrderRow, line: OrderLineRow, actorId: string | null, now: Date): SellableContext {
	return { placeId: order.placeId, order, line, actorId, now };
}

/**
 * Marks a locked pending order paid: confirms every line, appends the receipt (one payment of the whole total
 * with `method`), moves the status with a guarded UPDATE … WHERE status = 'pending', audits.
 */
async function settleLocked(
	tx: Tx,
	order: OrderRow,
	pay: { provider: OrderProvider; method: PaymentMethod; providerRef?: string | null; actorId: string | null; till: string; now?: Date; timezone: string }
): Promise<{ order: OrderRow; receipt: Receipt }> {
	if (order.status !== 'pending') throw new AppError('conflict', { detail: `order is ${order.status}`, fields: { _: `checkout.already_${order.status}` } });
	const now = pay.now ?? new Date();
	const lines = await linesOf(tx, order.id);
	for (const line of lines) {
		const s = getSellable(line.kind);
		if (!s) throw new AppError('internal', { detail: `no sellable registered for kind ${line.kind}` });
		await s.confirm(tx, ctxFor(order, line, pay.actorId, now));
	}
	const rates = await loadVatRates(tx);
	const date = wallClock(now, pay.timezone).date;
	const receiptLines: ReceiptLine[] = lines.map((l) => {
		const rate = lineRate(rates, l, date);
		if (!rate) throw new AppError('invalid_input', { fields: { lines: 'money.no_vat_rate' } });
		return buildLine({ productId: l.productId ?? l.refId ?? l.kind, label: l.label, activity: l.activity, quantity: l.quantity, unitPriceCents: l.unitPriceCents, context: l.context, rate, voucher: l.vatCategory === 'voucher' });
	});
	const receipt = await appendReceipt(tx, {
		placeId: order.placeId,
		series: 'main',
		training: false,
		kind: 'sale',
		correctsId: null,
		till: pay.till,
		operatorRef: pay.actorId,
		lines: receiptLines,
		totals: totalsPerRate(receiptLines),
		payments: [{ method: pay.method, amountCents: order.totalCents }],
		totalCents: order.totalCents,
		now: pay.now
	});
	const [updated] = await tx
		.update(checkoutOrder)
		.set({ status: 'paid', paidAt: receipt.issuedAt, receiptId: receipt.id, provider: pay.provider, providerRef: pay.providerRef ?? order.providerRef, paymentMethod: pay.method, updatedAt: now })
		.where(and(eq(checkoutOrder.id, order.id), eq(checkoutOrder.status, 'pending')))
		.returning();
	if (!updated) throw new AppError('conflict', { detail: 'order changed under its lock' });
	await audit(tx, { placeId: order.placeId, actorId: pay.actorId, action: 'money.order_paid', targetType: 'checkout_order', targetId: order.id, data: { totalCents: order.totalCents, method: pay.method, provider: pay.provider, receiptNumber: receipt.number } });
	return { order: updated, receipt };
}

/** Ends a locked pending order without payment: releases every line, then the guarded status change. */
async function endLocked(tx: Tx, order: OrderRow, status: ReleaseReason, reason: string, actorId: string | null, now = new Date()): Promise<OrderRow> {
	if (order.status !== 'pending') throw new AppError('conflict', { detail: `order is ${order.status}`, fields: { _: `checkout.already_${order.status}` } });
	const lines = await linesOf(tx, order.id);
	for (const line of lines) await getSellable(line.kind)?.release(tx, ctxFor(order, line, actorId, now), status);
	const [updated] = await tx
		.update(checkoutOrder)
		.set({ status, endReason: reason.slice(0, 200), updatedAt: now })
		.where(and(eq(checkoutOrder.id, order.id), eq(checkoutOrder.status, 'pending')))
		.returning();
	if (!updated) throw new AppError('conflict', { detail: 'order changed under its lock' });
	await audit(tx, { placeId: order.placeId, actorId, action: `money.order_${status}`, targetType: 'checkout_order', targetId: order.id, data: { reason } });
	return updated;
}

/**
 * Ends a pending order inside the caller's transaction (module API: a booking cancelled by its owner cancels the
 * order paying it, releasing every line). Does nothing when the order is not pending. Returns the order.
 */
export async function cancelOrderInTx(tx: Tx, orderId: string, actorId: string | null, reason: string, now = new Date()): Promise<OrderRow | undefined> {
	const o = await lockOrder(tx, orderId);
	if (!o || o.status !== 'pending') return o;
	return endLocked(tx, o, 'cancelled', reason, actorId, now);
}

/** The place's time zone (for writers that only know the place id: webhooks, release hooks). */
export async function placeTimezone(tx: DbOrTx, placeId: string): Promise<string> {
	const [p] = await tx.select({ timezone: place.timezone }).from(place).where(eq(place.id, placeId));
	return p?.timezone ?? 'Europe/Paris';
}

/**
 * Expires pending orders past their expires_at (all places, or one) and releases what they held. Run on read
 * (order pages, lists, the wallet) and by anything periodic. SKIP LOCKED: an order being paid right now is
 * left to its payment. Returns how many orders expired.
 */
export async function expireDueOrders(db: Db, opts: { placeId?: string; now?: Date; limit?: number } = {}): Promise<number> {
	const now = opts.now ?? new Date();
	return db.transaction(async (tx) => {
		const conds = [eq(checkoutOrder.status, 'pending'), lt(checkoutOrder.expiresAt, now)];
		if (opts.placeId) conds.push(eq(checkoutOrder.placeId, opts.placeId));
		const due = await tx
			.select()
			.from(checkoutOrder)
			.where(and(...conds))
			.orderBy(asc(checkoutOrder.expiresAt))
			.limit(opts.limit ?? 200)
			.for('update', { skipLocked: true });
		for (const o of due) await endLocked(tx, o, 'expired', 'timeout', null, now);
		return due.length;
	});
}

/** Expiry run by readers: a failing release (a module's bug) is logged and must not break the page that reads. */
async function expireOnRead(db: Db, placeId: string, now?: Date): Promise<void> {
	try {
		await expireDueOrders(db, { placeId, now });
	} catch (err) {
		log().error({ err, placeId }, 'expiring due orders failed');
	}
}

// ——— Member orders (catalogue products, wallet credit) ———

const id64 = z.string('field.required').trim().min(1, 'field.required').max(64, 'field.invalid');
export const orderInput = z
	.strictObject({
		products: z
			.array(
				z.strictObject({
					productId: id64,
					quantity: z.coerce.number('field.invalid').int('field.invalid').min(1, 'field.invalid').max(99, 'field.invalid'),
					context: z.enum(SALE_CONTEXTS, 'field.invalid').default('takeaway_now')
				}),
				'field.invalid'
			)
			.max(50, 'field.invalid')
			.default([]),
		/** A credit or hour pack of the place. */
		packId: id64.optional(),
		/** A free amount of euro credit, 5 € to 500 €. */
		creditCents: z.coerce.number('field.invalid').int('field.invalid').min(500, 'field.invalid').max(50_000, 'field.invalid').optional()
	})
	.refine((o) => o.products.length > 0 || o.packId !== undefined || o.creditCents !== undefined, { message: 'field.required', path: ['products'] });
export type OrderInput = z.input<typeof orderInput>;

/** Label of a free amount of credit on the receipt (a French fiscal document); pages show it translated. */
export const FREE_CREDIT_LABEL = 'Crédit porte-monnaie';

function audienceOf(scope: PlaceScope): Audience {
	return scope.roleKey === 'resident' ? 'resident' : scope.roleKey ? 'member' : 'public';
}

/**
 * A member orders catalogue products and/or credit (an hour pack, a credit pack or a free amount) for
 * themselves: prices from the catalogue at the member's audience, VAT per line. Returns the pending order.
 */
export async function createOrder(db: Db, scope: PlaceScope, raw: OrderInput, opts: { now?: Date } = {}): Promise<OrderWithLines> {
	requireMember(scope);
	const input = parseInput(orderInput, raw);
	return db.transaction(async (tx) => {
		const drafts: OrderLineDraft[] = [];
		const fields: Record<string, string> = {};
		if (input.products.length) {
			const ids = [...new Set(input.products.map((p) => p.productId))];
			const products = await tx
				.select({ id: product.id, name: product.name, activity: product.activity, vatCategory: product.vatCategory })
				.from(product)
				.where(and(eq(product.placeId, scope.placeId), eq(product.active, true), inArray(product.id, ids)));
			const prices = await tx
				.select()
				.from(productPrice)
				.where(and(eq(productPrice.placeId, scope.placeId), inArray(productPrice.productId, ids)));
			const audience = audienceOf(scope);
			input.products.forEach((l, i) => {
				const p = products.find((x) => x.id === l.productId);
				const unit = prices.find((x) => x.productId === l.productId && x.audience === audience)?.amountCents ?? prices.find((x) => x.productId === l.productId && x.audience === 'public')?.amountCents;
				if (!p) fields[`products.${i}.productId`] = 'money.unknown_product';
				else if (unit === undefined) fields[`products.${i}.productId`] = 'money.no_price';
				else drafts.push({ kind: 'product', refId: p.id, productId: p.id, label: p.name, activity: p.activity, quantity: l.quantity, unitPriceCents: unit, vatCategory: p.vatCategory, context: l.context });
			});
		}
		if (input.packId !== undefined) {
			const [pack] = await tx
				.select()
				.from(walletPack)
				.where(and(eq(walletPack.placeId, scope.placeId), eq(walletPack.id, input.packId), eq(walletPack.active, true)));
			if (!pack) fields.packId = 'checkout.unknown_pack';
			else
				drafts.push({
					kind: 'wallet_credit',
					refId: pack.id,
					label: pack.label,
					activity: pack.unit === 'minutes' ? 'machines' : 'other',
					quantity: 1,
					unitPriceCents: pack.priceCents,
					// why: hour packs are machine time sold now (VAT now); euro credit is a voucher (VAT when spent).
					vatCategory: pack.unit === 'minutes' ? 'machine_time' : 'voucher',
					details: { unit: pack.unit, amount: pack.amount }
				});
		}
		if (input.creditCents !== undefined)
			drafts.push({ kind: 'wallet_credit', refId: null, label: FREE_CREDIT_LABEL, activity: 'other', quantity: 1, unitPriceCents: input.creditCents, vatCategory: 'voucher', details: { unit: 'cents', amount: input.creditCents } });
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		const order = await openOrder(tx, { placeId: scope.placeId, timezone: scope.timezone, buyerId: scope.userId, createdBy: scope.userId, lines: drafts, now: opts.now });
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.order_create', targetType: 'checkout_order', targetId: order.id, data: { totalCents: order.totalCents, kinds: drafts.map((d) => d.kind) } });
		return order;
	});
}

function isStaff(scope: PlaceScope): boolean {
	return can(scope, 'cafe.sell') || can(scope, 'money.manage') || can(scope, 'money.view');
}

/** One order with its lines: the buyer's own, or any for staff. Expires it first if it is due. */
export async function getOrder(db: Db, scope: PlaceScope, orderId: string, opts: { now?: Date } = {}): Promise<OrderWithLines> {
	requireMember(scope);
	if (typeof orderId !== 'string' || orderId.length > 64) throw new AppError('not_found', { detail: 'order' });
	const load = async () => {
		const [o] = await db
			.select()
			.from(checkoutOrder)
			.where(and(eq(checkoutOrder.placeId, scope.placeId), eq(checkoutOrder.id, orderId)));
		// why: someone else's order is "not found", not "forbidden": ids must not be probed.
		if (!o || (o.buyerId !== scope.userId && !isStaff(scope))) throw new AppError('not_found', { detail: 'order' });
		return o;
	};
	let o = await load();
	const now = opts.now ?? new Date();
	if (o.status === 'pending' && o.expiresAt < now) {
		await expireOnRead(db, scope.placeId, now);
		o = await load();
	}
	return { ...o, lines: await linesOf(db, o.id) };
}

/** Orders of the place for staff (cafe.sell, money.manage or money.view), newest first, expiring due ones. */
export async function listOrders(db: Db, scope: PlaceScope, q: { status?: OrderStatus; limit?: number; now?: Date } = {}): Promise<OrderWithLines[]> {
	requireMember(scope);
	if (!isStaff(scope)) throw new AppError('forbidden', { detail: 'missing cafe.sell / money.manage' });
	await expireOnRead(db, scope.placeId, q.now);
	const conds = [eq(checkoutOrder.placeId, scope.placeId)];
	if (q.status) conds.push(eq(checkoutOrder.status, q.status));
	const orders = await db
		.select()
		.from(checkoutOrder)
		.where(and(...conds))
		.orderBy(desc(checkoutOrder.createdAt), desc(checkoutOrder.id))
		.limit(Math.min(q.limit ?? 100, 500));
	if (!orders.length) return [];
	const lines = await db
		.select()
		.from(checkoutOrderLine)
		.where(inArray(checkoutOrderLine.orderId, orders.map((o) => o.id)))
		.orderBy(asc(checkoutOrderLine.position));
	return orders.map((o) => ({ ...o, lines: lines.filter((l) => l.orderId === o.id) }));
}

/** The caller's own orders in the place (newest first). */
export async function listMyOrders(db: Db, scope: PlaceScope, limit = 20): Promise<OrderRow[]> {
	requireMember(scope);
	await expireOnRead(db, scope.placeId);
	return db
		.select()
		.from(checkoutOrder)
		.where(and(eq(checkoutOrder.placeId, scope.placeId), eq(checkoutOrder.buyerId, scope.userId!)))
		.orderBy(desc(checkoutOrder.createdAt), desc(checkoutOrder.id))
		.limit(limit);
}

export const onsitePaymentInput = z.strictObject({
	method: z.enum(ONSITE_METHODS, 'field.invalid'),
	till: z.string('field.invalid').trim().min(1, 'field.invalid').max(40, 'field.invalid').default('1')
});
export type OnsitePaymentInput = z.input<typeof onsitePaymentInput>;

/** Staff record that a pending order was paid on site (cafe.sell or money.manage): receipt, confirm, audit. */
export async function recordOrderPayment(db: Db, scope: PlaceScope, orderId: string, raw: OnsitePaymentInput, opts: { now?: Date } = {}): Promise<{ order: OrderRow; receipt: Receipt }> {
	if (!can(scope, 'money.manage')) requirePermission(scope, 'cafe.sell');
	const input = parseInput(onsitePaymentInput, raw);
	return db.transaction(async (tx) => {
		const o = await lockOrder(tx, orderId, scope.placeId);
		if (!o) throw new AppError('not_found', { detail: 'order' });
		if (o.status === 'pending' && o.expiresAt < (opts.now ?? new Date())) throw new AppError('conflict', { fields: { _: 'checkout.already_expired' } });
		return settleLocked(tx, o, { provider: 'onsite', method: input.method, actorId: scope.userId, till: input.till, now: opts.now, timezone: scope.timezone });
	});
}

/** The buyer (or staff) cancels a pending order: its reservations are released. */
export async function cancelOrder(db: Db, scope: PlaceScope, orderId: string): Promise<OrderRow> {
	requireMember(scope);
	return db.transaction(async (tx) => {
		const o = await lockOrder(tx, orderId, scope.placeId);
		if (!o || (o.buyerId !== scope.userId && !isStaff(scope))) throw new AppError('not_found', { detail: 'order' });
		return endLocked(tx, o, 'cancelled', 'cancelled', scope.userId);
	});
}

/**
 * The buyer pays their pending order with their euro credit: one 'spend' wallet entry and a receipt paid by
 * 'wallet' (VAT of the goods is due now). Refused for orders that buy credit, and when the balance is too low.
 */
export async function payOrderWithWallet(db: Db, scope: PlaceScope, orderId: string, opts: { now?: Date } = {}): Promise<{ order: OrderRow; receipt: Receipt }> {
	requireMember(scope);
	return db.transaction(async (tx) => {
		const o = await lockOrder(tx, orderId, scope.placeId);
		if (!o || o.buyerId !== scope.userId) throw new AppError('not_found', { detail: 'order' });
		return settleFromWallet(tx, o, scope.userId, { now: opts.now, timezone: scope.timezone });
	});
}

/**
 * Pays a pending order of the place with its buyer's euro credit inside the caller's transaction, as
 * payOrderWithWallet does; for commands that give credit back and spend it at once (moving a paid booking).
 */
export async function payOrderWithWalletInTx(tx: Tx, placeId: string, orderId: string, actorId: string | null, opts: { now?: Date; timezone: string }): Promise<{ order: OrderRow; receipt: Receipt }> {
	const o = await lockOrder(tx, orderId, placeId);
	if (!o || !o.buyerId) throw new AppError('not_found', { detail: 'order' });
	return settleFromWallet(tx, o, actorId, opts);
}

async function settleFromWallet(tx: Tx, o: OrderRow, actorId: string | null, opts: { now?: Date; timezone: string }): Promise<{ order: OrderRow; receipt: Receipt }> {
	if (o.status === 'pending' && o.expiresAt < (opts.now ?? new Date())) throw new AppError('conflict', { fields: { _: 'checkout.already_expired' } });
	const lines = await linesOf(tx, o.id);
	if (lines.some((l) => l.kind === 'wallet_credit')) throw new AppError('invalid_input', { fields: { _: 'checkout.credit_with_credit' } });
	if (o.status !== 'pending') throw new AppError('conflict', { fields: { _: `checkout.already_${o.status}` } });
	if (o.totalCents > 0) await appendWalletEntry(tx, { placeId: o.placeId, userId: o.buyerId!, unit: 'cents', amount: -o.totalCents, kind: 'spend', orderId: o.id, actorId });
	return settleLocked(tx, o, { provider: 'wallet', method: 'wallet', actorId, till: 'online', now: opts.now, timezone: opts.timezone });
}

// ——— Online payments: provider events ———

/** A provider's word about an order, already authenticated (Stripe signature, HelloAsso read back). */
export interface ProviderEvent {
	provider: 'stripe' | 'helloasso';
	/** The provider's unique id of this event (idempotency key). */
	eventId: string;
	type: string;
	orderId: string | null;
	outcome: 'paid' | 'failed' | 'expired';
	/** The checkout (session / intent) the event is about. */
	providerRef?: string | null;
	amountCents?: number;
	currency?: string;
	now?: Date;
}

export type EventResult = 'duplicate' | 'paid' | 'released' | 'already_final' | 'late_payment' | 'amount_mismatch' | 'stale_checkout' | 'unknown_order';

/**
 * Applies an authenticated provider event exactly once. The order row is locked first (every delivery of an
 * event for that order queues there), then the processed-events table is checked: a replay or a concurrent
 * delivery finds the event and does nothing. payment_event's unique (provider, event_id) is the last line of
 * defence. A payment is accepted only for the order's exact amount in EUR.
 */
export async function applyProviderEvent(db: Db, ev: ProviderEvent): Promise<{ result: EventResult; orderId: string | null }> {
	return db.transaction(async (tx) => {
		const o = ev.orderId && ev.orderId.length <= 64 ? await lockOrder(tx, ev.orderId) : undefined;
		const [seen] = await tx
			.select({ id: paymentEvent.id })
			.from(paymentEvent)
			.where(and(eq(paymentEvent.provider, ev.provider), eq(paymentEvent.eventId, ev.eventId)));
		if (seen) return { result: 'duplicate' as const, orderId: o?.id ?? null };
		let result: EventResult;
		if (!o) result = 'unknown_order';
		else if (ev.outcome === 'paid') {
			if (o.status === 'paid') result = 'already_final';
			else if (o.status !== 'pending') result = 'late_payment';
			else if (ev.amountCents !== o.totalCents || (ev.currency ?? '').toUpperCase() !== o.currency) result = 'amount_mismatch';
			else {
				await settleLocked(tx, o, { provider: ev.provider, method: 'online', providerRef: ev.providerRef, actorId: null, till: 'online', now: ev.now, timezone: await placeTimezone(tx, o.placeId) });
				result = 'paid';
			}
		} else if (o.status !== 'pending') result = 'already_final';
		else if (ev.providerRef && o.providerRef && ev.providerRef !== o.providerRef) result = 'stale_checkout';
		else {
			await endLocked(tx, o, ev.outcome, `${ev.provider}:${ev.type}`.slice(0, 200), null, ev.now);
			result = 'released';
		}
		const inserted = await tx
			.insert(paymentEvent)
			.values({ provider: ev.provider, eventId: ev.eventId, type: ev.type.slice(0, 100), orderId: o?.id ?? null, outcome: result })
			.onConflictDoNothing()
			.returning({ id: paymentEvent.id });
		if (!inserted.length) throw new AppError('conflict', { detail: 'event processed concurrently' });
		if (result === 'late_payment' || result === 'amount_mismatch') {
			// why: money arrived that we did not turn into a sale: staff must see it and refund or settle by hand.
			log().warn({ provider: ev.provider, eventId: ev.eventId, orderId: o?.id, result }, 'payment event needs attention');
			await audit(tx, { placeId: o!.placeId, actorId: null, action: `money.payment_${result}`, targetType: 'checkout_order', targetId: o!.id, data: { provider: ev.provider, eventId: ev.eventId, amountCents: ev.amountCents, currency: ev.currency } });
		}
		return { result, orderId: o?.id ?? null };
	});
}

/**
 * Records the provider checkout started for a pending order (its id, and the new expiry so the order outlives
 * the provider's session). Returns false when the order is no longer pending.
 */
export async function attachCheckout(db: Db, orderId: string, c: { provider: 'stripe' | 'helloasso'; providerRef: string; expiresAt: Date; actorId: string | null }): Promise<boolean> {
	return db.transaction(async (tx) => {
		const o = await lockOrder(tx, orderId);
		if (!o || o.status !== 'pending') return false;
		await tx
			.update(checkoutOrder)
			.set({ provider: c.provider, providerRef: c.providerRef, expiresAt: c.expiresAt > o.expiresAt ? c.expiresAt : o.expiresAt, updatedAt: new Date() })
			.where(and(eq(checkoutOrder.id, orderId), eq(checkoutOrder.status, 'pending')));
		await audit(tx, { placeId: o.placeId, actorId: c.actorId, action: 'money.order_checkout', targetType: 'checkout_order', targetId: o.id, data: { provider: c.provider, providerRef: c.providerRef } });
		return true;
	});
}

// The 'product' sellable: a catalogue product sold online; nothing is held, nothing to do when paid.
registerSellable('product', {
	async reserve() {},
	async confirm() {},
	async release() {}
});
