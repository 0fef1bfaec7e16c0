// Prices of the machine space for a person: their audience (resident, member, public) and the catalogue price of a
// product for it. The booking reads the same in its context query (commands.server.ts); materials use these.
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../server/db/client';
import { placeMember, product, productPrice, role, type Audience } from '../../server/db/schema';

/** Audience of a role key for prices: resident, member (any other role), public (no role in the place). */
export function audienceOf(roleKey: string | null): Audience {
	return roleKey === null ? 'public' : roleKey === 'resident' ? 'resident' : 'member';
}

/** Audience of a person for prices (resident, member, or public for people without a role in the place). */
export async function audienceOfUser(tx: Tx, placeId: string, userId: string | null): Promise<Audience> {
	if (!userId) return 'public';
	const [m] = await tx
		.select({ key: role.key })
		.from(placeMember)
		.innerJoin(role, eq(role.id, placeMember.roleId))
		.where(and(eq(placeMember.placeId, placeId), eq(placeMember.userId, userId)));
	return audienceOf(m?.key ?? null);
}

export interface PricedProduct {
	id: string;
	name: string;
	vatCategory: string;
	/** Price VAT included for the audience (else the public price); null when the product has neither. */
	cents: number | null;
}

/** Catalogue products of the place with their price for an audience (falling back to the public price). */
export async function audiencePrices(tx: Tx, placeId: string, productIds: string[], audience: Audience): Promise<Map<string, PricedProduct>> {
	const ids = [...new Set(productIds)];
	if (!ids.length) return new Map();
	const products = await tx
		.select({ id: product.id, name: product.name, vatCategory: product.vatCategory })
		.from(product)
		.where(and(eq(product.placeId, placeId), inArray(product.id, ids)));
	const prices = await tx
		.select({ productId: productPrice.productId, audience: productPrice.audience, amountCents: productPrice.amountCents })
		.from(productPrice)
		.where(and(eq(productPrice.placeId, placeId), inArray(productPrice.productId, ids)));
	const of = (id: string, a: Audience) => prices.find((x) => x.productId === id && x.audience === a)?.amountCents;
	return new Map(products.map((p) => [p.id, { ...p, cents: of(p.id, audience) ?? of(p.id, 'public') ?? null }]));
}
