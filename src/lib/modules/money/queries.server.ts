// Money reads, scoped by place.
import { and, asc, eq, gte, lt, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../server/db/client';
import { product, productPrice, receipt, type Activity, type Audience } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { can, requireMember, type PlaceScope } from '../places/policy';

export interface CatalogueProduct {
	id: string;
	name: string;
	activity: Activity;
	prices: Partial<Record<Audience, number>>;
}

/** The place's active products with their prices per audience (public: anyone may read the price list). */
export async function listActiveProducts(db: DbOrTx, scope: PlaceScope): Promise<CatalogueProduct[]> {
	const rows = await db
		.select({ id: product.id, name: product.name, activity: product.activity })
		.from(product)
		.where(and(eq(product.placeId, scope.placeId), eq(product.active, true)))
		.orderBy(asc(product.activity), asc(product.name), asc(product.id));
	if (!rows.length) return [];
	const prices = await db
		.select()
		.from(productPrice)
		.where(and(eq(productPrice.placeId, scope.placeId), inArray(productPrice.productId, rows.map((r) => r.id))));
	return rows.map((r) => ({
		...r,
		prices: Object.fromEntries(prices.filter((p) => p.productId === r.id).map((p) => [p.audience, p.amountCents]))
	}));
}

/** Largest number of receipts one listing returns. */
export const RECEIPTS_LIMIT = 1000;

/**
 * Receipts of the place issued in [from, to) (money.view or cafe.sell), oldest first, at most
 * RECEIPTS_LIMIT; training receipts only when asked (they are never mixed with real ones).
 */
export async function listReceipts(db: DbOrTx, scope: PlaceScope, q: { from?: Date; to?: Date; training?: boolean } = {}) {
	requireMember(scope);
	if (!can(scope, 'money.view') && !can(scope, 'cafe.sell')) throw new AppError('forbidden', { detail: 'missing money.view' });
	const conds = [eq(receipt.placeId, scope.placeId), eq(receipt.training, q.training ?? false)];
	if (q.from) conds.push(gte(receipt.issuedAt, q.from));
	if (q.to) conds.push(lt(receipt.issuedAt, q.to));
	return db
		.select()
		.from(receipt)
		.where(and(...conds))
		.orderBy(asc(receipt.issuedAt), asc(receipt.number))
		.limit(RECEIPTS_LIMIT);
}
