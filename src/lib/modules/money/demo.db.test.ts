// The money part of the La Tréso demo: its price list is public through the catalogue query, and the demo
// staff can sell from it (a lunch on site and a beer), which leaves an intact journal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { loadDemo, DEMO_SLUG } from '../places/demo.server';
import { findUserByEmail } from '../people/users.server';
import { resolvePlace } from '../../server/place-context';
import { listActiveProducts } from './queries.server';
import { recordSale } from './commands.server';
import { verifyLedger } from './ledger.server';
import { DEMO_PRODUCTS } from './demo.server';

let database: Database;
beforeAll(async () => {
	database = await freshDatabase();
});
afterAll(async () => {
	await database?.close();
});

describe('money demo', () => {
	it('loads the café and machine price list, and the demo staff sell from it', async () => {
		const t0 = Date.now();
		const { placeId } = await loadDemo(database.db, { now: new Date('2026-11-26T10:00:00Z') });
		// The demo (with its months of till history) must stay quick enough for the setup page and the CLI.
		console.info(`demo loaded in ${Date.now() - t0} ms`);
		const { scope: anon } = await resolvePlace(database.db, DEMO_SLUG, null);
		const products = await listActiveProducts(database.db, anon);
		expect(products.length).toBe(DEMO_PRODUCTS.length);
		expect(products.filter((p) => p.activity === 'machines').length).toBe(3);
		const before = await verifyLedger(database.db, placeId);
		expect(before.ok).toBe(true);
		expect(before.checked).toBeGreaterThan(1000);
		const byName = Object.fromEntries(products.map((p) => [p.name, p]));
		expect(byName['Plat du jour'].prices).toEqual({ public: 1250, member: 1100, reduced: 800, resident: 1000 });
		const staff = await findUserByEmail(database.db, 'equipe@la-treso.demo');
		const { scope } = await resolvePlace(database.db, DEMO_SLUG, { id: staff!.id, isOperator: false });
		const r = await recordSale(database.db, scope, {
			lines: [
				{ productId: byName['Plat du jour'].id, quantity: 2, context: 'on_site' },
				{ productId: byName['Bière pression'].id, quantity: 1, context: 'on_site' },
				{ productId: byName['Découpeuse laser (1 h)'].id, quantity: 1, context: 'on_site' }
			],
			payments: [{ method: 'cash' }],
			audience: 'member'
		});
		expect(r.totalCents).toBe(2200 + 400 + 2000);
		expect(r.totals.map((t) => [t.rateBp, t.ttcCents])).toEqual([
			[1000, 2200],
			[2000, 2400]
		]);
		// The demo's history (main chain and its training chain) plus this sale: still intact.
		expect(await verifyLedger(database.db, placeId)).toEqual({ ok: true, checked: before.checked + 1, chains: 2 });
	});
});
