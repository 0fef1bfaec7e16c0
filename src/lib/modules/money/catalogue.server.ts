// The catalogue as managed by the café team and admins: products, prices per audience, set menus.
// Prices are management data (not fiscal): they change freely, every receipt keeps the price it was sold at.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { product, productComponent, productPrice, type Activity, type Audience, type VatCategory } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { parseInput } from '../../server/validation';
import { can, requirePermission, type PlaceScope } from '../places/policy';
import { AUDIENCES } from './schema';
import { menuComponentsInput, productUpdateInput, type MenuComponentsInput, type ProductUpdateInput } from './inputs';

/** cafe.menu (the café team) or money.manage (admins) may edit the catalogue. */
export function requireCatalogue(scope: PlaceScope): void {
	if (!can(scope, 'money.manage')) requirePermission(scope, 'cafe.menu');
}

export interface AdminProduct {
	id: string;
	name: string;
	activity: Activity;
	vatCategory: VatCategory;
	active: boolean;
	prices: Partial<Record<Audience, number>>;
	components: Array<{ productId: string; name: string; quantity: number }>;
}

/** Every product of the place (inactive ones too), with prices and set-menu components. */
export async function listCatalogue(db: DbOrTx, scope: PlaceScope): Promise<AdminProduct[]> {
	requireCatalogue(scope);
	const rows = await db
		.select({ id: product.id, name: product.name, activity: product.activity, vatCategory: product.vatCategory, active: product.active })
		.from(product)
		.where(eq(product.placeId, scope.placeId))
		.orderBy(asc(product.activity), asc(product.name), asc(product.id));
	if (!rows.length) return [];
	const ids = rows.map((r) => r.id);
	const prices = await db
		.select()
		.from(productPrice)
		.where(and(eq(productPrice.placeId, scope.placeId), inArray(productPrice.productId, ids)));
	const comps = await db
		.select({ menuId: productComponent.menuId, productId: productComponent.componentId, quantity: productComponent.quantity })
		.from(productComponent)
		.where(eq(productComponent.placeId, scope.placeId))
		.orderBy(asc(productComponent.position));
	const nameOf = new Map(rows.map((r) => [r.id, r.name]));
	return rows.map((r) => ({
		...r,
		prices: Object.fromEntries(prices.filter((p) => p.productId === r.id).map((p) => [p.audience, p.amountCents])),
		components: comps.filter((c) => c.menuId === r.id).map((c) => ({ productId: c.productId, name: nameOf.get(c.productId) ?? '?', quantity: c.quantity }))
	}));
}

/** One product of the place (not_found otherwise). */
export async function getCatalogueProduct(db: DbOrTx, scope: PlaceScope, id: string): Promise<AdminProduct> {
	const list = await listCatalogue(db, scope);
	const p = list.find((x) => x.id === id);
	if (!p) throw new AppError('not_found', { detail: 'product' });
	return p;
}

/** Changes a product's name, activity, VAT category, prices per audience and whether it is on sale. */
export async function updateProduct(db: Db, scope: PlaceScope, id: string, raw: ProductUpdateInput): Promise<void> {
	requireCatalogue(scope);
	const input = parseInput(productUpdateInput, raw);
	await db.transaction(async (tx) => {
		const [row] = await tx
			.update(product)
			.set({ name: input.name, activity: input.activity, vatCategory: input.vatCategory, active: input.active })
			.where(and(eq(product.placeId, scope.placeId), eq(product.id, id)))
			.returning({ id: product.id });
		if (!row) throw new AppError('not_found', { detail: 'product' });
		await tx.delete(productPrice).where(and(eq(productPrice.placeId, scope.placeId), eq(productPrice.productId, id)));
		const prices = AUDIENCES.flatMap((audience) => {
			const amount = input.prices[audience];
			return amount === undefined ? [] : [{ placeId: scope.placeId, productId: id, audience, amountCents: amount }];
		});
		await tx.insert(productPrice).values(prices);
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.product_update', targetType: 'product', targetId: id, data: { name: input.name, active: input.active, prices: input.prices } });
	});
}

/**
 * Sets the components of a set menu (replacing the previous ones). The menu must be a product of the place
 * with the 'menu' VAT category; each component a product of the same place that is not itself a menu.
 */
export async function setMenuComponents(db: Db, scope: PlaceScope, menuId: string, raw: MenuComponentsInput): Promise<void> {
	requireCatalogue(scope);
	const input = parseInput(menuComponentsInput, raw);
	const ids = input.components.map((c) => c.productId);
	const fields: Record<string, string> = {};
	if (new Set(ids).size !== ids.length) fields.components = 'money.menu_duplicate';
	await db.transaction(async (tx) => {
		const [menu] = await tx
			.select({ id: product.id, vatCategory: product.vatCategory })
			.from(product)
			.where(and(eq(product.placeId, scope.placeId), eq(product.id, menuId)))
			.for('update');
		if (!menu) throw new AppError('not_found', { detail: 'product' });
		if (menu.vatCategory !== 'menu') throw new AppError('invalid_input', { fields: { vatCategory: 'money.not_a_menu' } });
		const found = await tx
			.select({ id: product.id, vatCategory: product.vatCategory })
			.from(product)
			.where(and(eq(product.placeId, scope.placeId), inArray(product.id, ids)));
		input.components.forEach((c, i) => {
			const p = found.find((f) => f.id === c.productId);
			if (!p || p.id === menuId) fields[`components.${i}.productId`] = 'money.unknown_product';
			else if (p.vatCategory === 'menu') fields[`components.${i}.productId`] = 'money.menu_nested';
		});
		if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
		await tx.delete(productComponent).where(and(eq(productComponent.placeId, scope.placeId), eq(productComponent.menuId, menuId)));
		await tx.insert(productComponent).values(input.components.map((c, i) => ({ placeId: scope.placeId, menuId, componentId: c.productId, quantity: c.quantity, position: i })));
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.menu_components', targetType: 'product', targetId: menuId, data: { components: input.components } });
	});
}
