// Materials consumed on a machine, billed through the shared checkout (issue #4, decisions 009 and 014).
// At check-out a person declares what they used; every material that is a catalogue product with a price for
// their audience becomes a line of kind 'material' (refId = the booking_material row) of one pending order opened
// in the check-out's transaction; booking_material.order_id points to it. Free text and unpriced products stay
// recorded, unbilled. A material debt does not lapse: its order waits far longer than a booking's, a failed or
// expired payment carries the same lines over to a new pending order, and only staff may cancel (waive) it.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../server/db/client';
import { bookingMaterial, checkoutOrder, checkoutOrderLine } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import type { PlaceScope } from '../places/policy';
import { registerSellable } from '../money/checkout-registry.server';
import { openOrder, placeTimezone, type OrderLineDraft } from '../money/checkout.server';
import type { OrderVatCategory } from '../money/checkout-schema';
import { audienceOfUser, audiencePrices, type PricedProduct } from './pricing.server';

/** The sellable kind of a consumed material's order line. */
export const MATERIAL_SELLABLE = 'material';
/**
 * How long a material order waits for its payment: ten years, i.e. it does not lapse in practice (expires_at is
 * NOT NULL). Nothing was reserved that could be given back: the material is gone, the debt stays (ADR 014).
 */
export const MATERIAL_ORDER_TTL_MS = 10 * 366 * 24 * 3_600_000;
/** Largest quantity of one billed material (an order line takes at most 999). */
export const MAX_BILLED_QUANTITY = 999;

export interface DeclaredMaterial {
	productId?: string | null;
	quantity: number;
}

/**
 * Prices declared materials for the booking's person: for each, the catalogue product with its price for their
 * audience (else the public price), or null when it is free text, unpriced or free (0). Field errors for a
 * billed quantity the checkout cannot take.
 */
export async function priceMaterials(tx: Tx, placeId: string, userId: string | null, materials: DeclaredMaterial[]): Promise<Array<PricedProduct | null>> {
	const ids = materials.map((m) => m.productId).filter((x): x is string => Boolean(x));
	const priced = ids.length ? await audiencePrices(tx, placeId, ids, await audienceOfUser(tx, placeId, userId)) : new Map<string, PricedProduct>();
	const out = materials.map((m) => {
		const p = m.productId ? priced.get(m.productId) : undefined;
		return p && p.cents !== null && p.cents > 0 ? p : null;
	});
	const fields: Record<string, string> = {};
	out.forEach((p, i) => {
		if (p && materials[i].quantity > MAX_BILLED_QUANTITY) fields[`materials.${i}.quantity`] = 'presence.billed_quantity_max';
	});
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
	return out;
}

/** One material row as written at check-out, with its price (null = not billed). */
export interface MaterialToBill {
	id: string;
	label: string;
	quantity: number;
	price: PricedProduct | null;
}

const lineOf = (bookingId: string, m: MaterialToBill & { price: PricedProduct }): OrderLineDraft => ({
	kind: MATERIAL_SELLABLE,
	refId: m.id,
	productId: m.price.id,
	// why: the receipt (a fiscal document) names the catalogue product, whatever the person typed beside it.
	label: m.price.name,
	activity: 'machines',
	quantity: m.quantity,
	unitPriceCents: m.price.cents!,
	vatCategory: m.price.vatCategory as OrderVatCategory,
	context: 'on_site',
	details: { bookingId }
});

/**
 * Opens the pending order of a check-out's priced materials inside the check-out's transaction and links the
 * material rows to it. Returns the order and what is due (null / 0 when nothing is priced).
 */
export async function billMaterials(tx: Tx, scope: PlaceScope, o: { bookingId: string; buyerId: string | null; materials: MaterialToBill[]; now: Date }): Promise<{ orderId: string | null; dueCents: number }> {
	const billed = o.materials.filter((m): m is MaterialToBill & { price: PricedProduct } => m.price !== null);
	if (!billed.length) return { orderId: null, dueCents: 0 };
	const order = await openOrder(tx, {
		placeId: scope.placeId,
		timezone: scope.timezone,
		buyerId: o.buyerId,
		createdBy: scope.userId,
		now: o.now,
		ttlMs: MATERIAL_ORDER_TTL_MS,
		lines: billed.map((m) => lineOf(o.bookingId, m))
	});
	await tx
		.update(bookingMaterial)
		.set({ orderId: order.id })
		.where(and(eq(bookingMaterial.placeId, scope.placeId), inArray(bookingMaterial.id, billed.map((m) => m.id))));
	return { orderId: order.id, dueCents: order.totalCents };
}

export interface MaterialOrder {
	bookingId: string;
	orderId: string;
	status: string;
	totalCents: number;
}

/** The material orders of bookings (one per check-out, the current one after a carry-over), scoped by place. */
export async function materialOrdersOf(db: DbOrTx, scope: PlaceScope, bookingIds: string[]): Promise<MaterialOrder[]> {
	if (!bookingIds.length) return [];
	return db
		.selectDistinct({ bookingId: bookingMaterial.bookingId, orderId: checkoutOrder.id, status: checkoutOrder.status, totalCents: checkoutOrder.totalCents })
		.from(bookingMaterial)
		.innerJoin(checkoutOrder, and(eq(checkoutOrder.id, bookingMaterial.orderId), eq(checkoutOrder.placeId, scope.placeId)))
		.where(and(eq(bookingMaterial.placeId, scope.placeId), inArray(bookingMaterial.bookingId, bookingIds)));
}

// ——— The 'material' sellable ———

/** The material lines of an order, by position (the first one acts for the whole order). */
async function materialLines(tx: Tx, orderId: string) {
	return tx
		.select()
		.from(checkoutOrderLine)
		.where(and(eq(checkoutOrderLine.orderId, orderId), eq(checkoutOrderLine.kind, MATERIAL_SELLABLE)))
		.orderBy(asc(checkoutOrderLine.position));
}

registerSellable(MATERIAL_SELLABLE, {
	async reserve(tx, { line, placeId }) {
		// Nothing to hold (the material is already used): the line must name a material row of the place, not paid yet.
		const [m] = await tx
			.select({ id: bookingMaterial.id, orderStatus: checkoutOrder.status })
			.from(bookingMaterial)
			.leftJoin(checkoutOrder, eq(checkoutOrder.id, bookingMaterial.orderId))
			.where(and(eq(bookingMaterial.placeId, placeId), eq(bookingMaterial.id, line.refId ?? '')));
		if (!m || m.orderStatus === 'paid') throw new AppError('invalid_input', { fields: { lines: 'presence.material_not_billable' }, detail: `material ${line.refId}` });
	},
	// Paid: the debt is settled; the material rows already point to this order.
	async confirm() {},
	async release(tx, { line, placeId, actorId, order, now }, reason) {
		// why: a person may not wipe out what they owe for material they used; staff may waive it (audited).
		if (reason === 'cancelled' && order.buyerId && actorId === order.buyerId) throw new AppError('conflict', { fields: { _: 'presence.material_debt_kept' }, detail: 'material debt cancelled by its buyer' });
		const lines = await materialLines(tx, order.id);
		if (lines[0]?.id !== line.id) return;
		const bookingId = String((line.details as { bookingId?: unknown }).bookingId ?? '');
		if (reason === 'cancelled') {
			// The material rows keep pointing to the cancelled order: they were consumed, and billed, then waived.
			await audit(tx, { placeId, actorId, action: 'booking.material_waived', targetType: 'checkout_order', targetId: order.id, data: { bookingId, totalCents: order.totalCents } });
			return;
		}
		// why: a failed online payment or an expiry must not cancel a debt silently: the same lines move to a new order.
		const next = await openOrder(tx, {
			placeId,
			timezone: await placeTimezone(tx, placeId),
			buyerId: order.buyerId,
			createdBy: actorId,
			now,
			ttlMs: MATERIAL_ORDER_TTL_MS,
			lines: lines.map((l) => ({ kind: l.kind, refId: l.refId, productId: l.productId, label: l.label, activity: l.activity, quantity: l.quantity, unitPriceCents: l.unitPriceCents, vatCategory: l.vatCategory, context: l.context, details: l.details }))
		});
		await tx
			.update(bookingMaterial)
			.set({ orderId: next.id })
			.where(and(eq(bookingMaterial.placeId, placeId), eq(bookingMaterial.orderId, order.id)));
		await audit(tx, { placeId, actorId, action: 'booking.material_carried', targetType: 'checkout_order', targetId: next.id, data: { bookingId, fromOrderId: order.id, reason, totalCents: next.totalCents } });
	}
});
