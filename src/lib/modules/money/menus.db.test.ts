// Set menus on a real database: a menu's price is split across its components' VAT rates on the receipt,
// the shares add up to the menu price, the context changes the food rate, and the catalogue rules hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordSale } from './commands.server';
import { getCatalogueProduct, listCatalogue, setMenuComponents, updateProduct } from './catalogue.server';
import { verifyLedger } from './ledger.server';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Cantine A', slug: 'cantine-a' }, null);
		const b = await createPlace(tx, { name: 'Cantine B', slug: 'cantine-b' }, null);
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['adminB', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@menus.test`, name: key, password: 'une phrase assez longue 42' });
			await addMember(tx, placeId, u.id, roleKey, null);
			ids[key] = u.id;
		}
	});
	for (const key of ['admin', 'staff', 'member']) ctx[key] = await resolvePlace(db, 'cantine-a', { id: ids[key], isOperator: false });
	ctx.adminB = await resolvePlace(db, 'cantine-b', { id: ids.adminB, isOperator: false });
	const mk = async (name: string, vatCategory: string, prices: Record<string, number>) =>
		(ids[name] = (await createProduct(db, ctx.admin.scope, { name, activity: 'cafe', vatCategory, prices } as never)).id);
	await mk('Plat', 'food', { public: 1250, member: 1100 });
	await mk('Bière', 'alcohol', { public: 450 });
	await mk('Café', 'soft_drink', { public: 150 });
	await mk('Formule', 'menu', { public: 1500, member: 1350 });
	await mk('Formule vide', 'menu', { public: 1000 });
	ids.platB = (await createProduct(db, ctx.adminB.scope, { name: 'Plat B', activity: 'cafe', vatCategory: 'food', prices: { public: 900 } })).id;
	await setMenuComponents(db, ctx.staff.scope, ids.Formule, { components: [{ productId: ids.Plat }, { productId: ids['Bière'] }] });
});
afterAll(async () => {
	await database?.close();
});

describe('selling a set menu', () => {
	it('records one line per component, shares adding up to the menu price, each at its own rate', async () => {
		const r = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids.Formule, quantity: 2, context: 'on_site' }], payments: [{ method: 'cash' }] });
		expect(r.totalCents).toBe(3000);
		expect(r.lines.map((l) => [l.label, l.unitPriceCents, l.quantity, l.rateBp, l.menu?.label])).toEqual([
			['Formule — Plat', 1103, 2, 1000, 'Formule'],
			['Formule — Bière', 397, 2, 2000, 'Formule']
		]);
		expect(r.totals).toEqual([
			{ rateBp: 1000, outsideScope: false, htCents: 2005, vatCents: 201, ttcCents: 2206 },
			{ rateBp: 2000, outsideScope: false, htCents: 662, vatCents: 132, ttcCents: 794 }
		]);
	});

	it('uses the audience’s prices for the menu and its weights, and the context for the food rate', async () => {
		const r = await recordSale(database.db, ctx.staff.scope, { audience: 'member', lines: [{ productId: ids.Formule, quantity: 1, context: 'takeaway_later' }], payments: [{ method: 'card' }] });
		expect(r.totalCents).toBe(1350);
		// member weights: plat 1100, bière 450 (no member price: public) → 958 + 392 = 1350
		expect(r.lines.map((l) => [l.unitPriceCents, l.rateBp])).toEqual([
			[958, 550],
			[392, 2000]
		]);
	});

	it('refuses a menu without components, with a translated field message', async () => {
		const e = await fail(recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Formule vide'], quantity: 1 }], payments: [{ method: 'cash' }] }));
		expect(e?.code).toBe('invalid_input');
		expect(e?.fields).toEqual({ 'lines.0.productId': 'money.menu_empty' });
	});

	it('keeps the chain intact', async () => {
		expect((await verifyLedger(database.db, ctx.admin.scope.placeId)).ok).toBe(true);
	});
});

describe('managing the catalogue', () => {
	it('refuses a nested menu, a foreign product, duplicates and a component list on a non-menu', async () => {
		const nested = await fail(setMenuComponents(database.db, ctx.admin.scope, ids.Formule, { components: [{ productId: ids['Formule vide'] }] }));
		expect(nested?.fields).toEqual({ 'components.0.productId': 'money.menu_nested' });
		const foreign = await fail(setMenuComponents(database.db, ctx.admin.scope, ids.Formule, { components: [{ productId: ids.platB }] }));
		expect(foreign?.fields).toEqual({ 'components.0.productId': 'money.unknown_product' });
		const dup = await fail(setMenuComponents(database.db, ctx.admin.scope, ids.Formule, { components: [{ productId: ids.Plat }, { productId: ids.Plat }] }));
		expect(dup?.fields).toMatchObject({ components: 'money.menu_duplicate' });
		const notMenu = await fail(setMenuComponents(database.db, ctx.admin.scope, ids.Plat, { components: [{ productId: ids['Café'] }] }));
		expect(notMenu?.fields).toEqual({ vatCategory: 'money.not_a_menu' });
		// nothing changed
		expect((await getCatalogueProduct(database.db, ctx.admin.scope, ids.Formule)).components.map((c) => c.name)).toEqual(['Plat', 'Bière']);
	});

	it('lets the café team change prices; the receipts keep what was sold', async () => {
		const before = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Café'], quantity: 1 }], payments: [{ method: 'cash' }] });
		await updateProduct(database.db, ctx.staff.scope, ids['Café'], { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 180, reduced: 100 } });
		const after = await recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Café'], quantity: 1 }], payments: [{ method: 'cash' }] });
		expect([before.totalCents, after.totalCents]).toEqual([150, 180]);
		expect((await getCatalogueProduct(database.db, ctx.admin.scope, ids['Café'])).prices).toEqual({ public: 180, reduced: 100 });
	});

	it('takes a product off sale without losing it', async () => {
		await updateProduct(database.db, ctx.admin.scope, ids['Café'], { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 180 }, active: false });
		const e = await fail(recordSale(database.db, ctx.staff.scope, { lines: [{ productId: ids['Café'], quantity: 1 }], payments: [{ method: 'cash' }] }));
		expect(e?.fields).toEqual({ 'lines.0.productId': 'money.unknown_product' });
		expect((await listCatalogue(database.db, ctx.admin.scope)).find((p) => p.id === ids['Café'])?.active).toBe(false);
	});

	it('is closed to members and to other places', async () => {
		expect((await fail(listCatalogue(database.db, ctx.member.scope)))?.code).toBe('forbidden');
		expect((await fail(updateProduct(database.db, ctx.member.scope, ids.Plat, { name: 'X', activity: 'cafe', vatCategory: 'food', prices: { public: 1 } })))?.code).toBe('forbidden');
		const other = await fail(updateProduct(database.db, ctx.adminB.scope, ids.Plat, { name: 'Volé', activity: 'cafe', vatCategory: 'food', prices: { public: 1 } }));
		expect(other?.code).toBe('not_found');
		expect((await getCatalogueProduct(database.db, ctx.admin.scope, ids.Plat)).name).toBe('Plat');
	});

	it('refuses bad input without touching the product', async () => {
		const e = await fail(updateProduct(database.db, ctx.admin.scope, ids.Plat, { name: '', activity: 'cafe', vatCategory: 'food', prices: { public: -5 } }));
		expect(e?.code).toBe('invalid_input');
		expect(Object.keys(e?.fields ?? {}).sort()).toEqual(['name', 'prices.public']);
		expect((await getCatalogueProduct(database.db, ctx.admin.scope, ids.Plat)).prices.public).toBe(1250);
	});
});
