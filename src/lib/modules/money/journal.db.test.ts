// Proofs of the till journal: 200 concurrent sales are numbered 1..200 without gap or duplicate in a chain
// that verifies (on PostgreSQL through a pool of 20 connections, so they truly run in parallel); a row
// altered by someone bypassing the triggers (superuser, session_replication_role = replica) is named by
// verifyLedger; paging does not change the verdict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordSale } from './commands.server';
import { verifyLedger } from './ledger.server';

let database: Database;
let placeId: string;
let staff: PlaceContext;
const products: string[] = [];
const N = 200;

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 20 });
	const db = database.db;
	const userId = await db.transaction(async (tx) => {
		const p = await createPlace(tx, { name: 'Café concurrent', slug: 'cafe-race' }, null);
		placeId = p.id;
		const u = await createUserRecord(tx, { email: 'staff@race.test', name: 'Staff', password: 'une phrase assez longue 42' });
		await addMember(tx, p.id, u.id, 'admin', null);
		return u.id;
	});
	staff = await resolvePlace(db, 'cafe-race', { id: userId, isOperator: false });
	products.push((await createProduct(db, staff.scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } })).id);
	products.push((await createProduct(db, staff.scope, { name: 'Bière', activity: 'cafe', vatCategory: 'alcohol', prices: { public: 450 } })).id);
});
afterAll(async () => {
	await database?.close();
});

async function rows() {
	return database.query<{ id: string; number: number; hash: string; previous_hash: string; training: boolean }>(
		`SELECT id, number, hash, previous_hash, training FROM receipt WHERE place_id = $1 ORDER BY training, number`,
		[placeId]
	);
}

/** Alters receipts as a superuser would: triggers off for this one transaction. */
async function tamper(sql: string) {
	await database.exec(`BEGIN; SET LOCAL session_replication_role = replica; ${sql}; COMMIT;`);
}

describe('till journal under concurrency', () => {
	it(`${N} concurrent sales get numbers 1..${N} without gap or duplicate, in one chain that verifies`, async () => {
		const sales = await Promise.all(
			Array.from({ length: N }, (_, i) =>
				recordSale(database.db, staff.scope, { lines: [{ productId: products[i % 2], quantity: 1 + (i % 3) }], payments: [{ method: i % 2 ? 'card' : 'cash' }], till: `till-${i % 4}` })
			)
		);
		expect(sales.map((s) => s.number).sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
		const all = await rows();
		expect(all.length).toBe(N);
		for (let i = 1; i < all.length; i++) expect(all[i].previous_hash).toBe(all[i - 1].hash);
		expect(new Set(all.map((r) => r.hash)).size).toBe(N);
		const report = await verifyLedger(database.db, placeId);
		expect(report).toEqual({ ok: true, checked: N, chains: 1 });
		// keyset paging gives the same verdict with pages much smaller than the chain
		expect(await verifyLedger(database.db, placeId, { pageSize: 7 })).toEqual({ ok: true, checked: N, chains: 1 });
	});

	it('a training sale in parallel with real ones keeps both chains intact', async () => {
		await Promise.all([
			...Array.from({ length: 10 }, () => recordSale(database.db, staff.scope, { lines: [{ productId: products[0], quantity: 1 }], payments: [{ method: 'cash' }], training: true })),
			...Array.from({ length: 10 }, () => recordSale(database.db, staff.scope, { lines: [{ productId: products[0], quantity: 1 }], payments: [{ method: 'cash' }] }))
		]);
		const all = await rows();
		expect(all.filter((r) => r.training).map((r) => r.number)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
		expect(all.filter((r) => !r.training).length).toBe(N + 10);
		expect(await verifyLedger(database.db, placeId, { pageSize: 13 })).toEqual({ ok: true, checked: N + 20, chains: 2 });
	});
});

describe('tamper detection', () => {
	it('UPDATE and DELETE without bypass are refused by the database', async () => {
		await expect(database.exec(`UPDATE receipt SET total_cents = 0 WHERE number = 5`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM receipt WHERE number = 5`)).rejects.toThrow(/append-only/);
		expect((await verifyLedger(database.db, placeId)).ok).toBe(true);
	});

	it('an amount altered with the triggers bypassed makes verifyLedger fail and name that receipt', async () => {
		await tamper(`UPDATE receipt SET total_cents = total_cents - 100 WHERE place_id = '${placeId}' AND training = false AND number = 57`);
		const report = await verifyLedger(database.db, placeId, { pageSize: 20 });
		expect(report).toMatchObject({ ok: false, checked: 56, firstBroken: { series: 'main', training: false, number: 57, reason: 'hash' } });
	});

	it('a rewritten hash shows at the next receipt; a deleted receipt is named as missing', async () => {
		await tamper(`UPDATE receipt SET hash = repeat('a', 64) WHERE place_id = '${placeId}' AND training = false AND number = 30`);
		expect((await verifyLedger(database.db, placeId)).firstBroken).toEqual({ series: 'main', training: false, number: 30, reason: 'hash' });
		await tamper(`DELETE FROM receipt WHERE place_id = '${placeId}' AND training = false AND number = 12`);
		expect((await verifyLedger(database.db, placeId)).firstBroken).toEqual({ series: 'main', training: false, number: 12, reason: 'missing' });
	});

	it('a receipt removed from the end of a chain is caught by its sequence row', async () => {
		const other = await database.db.transaction((tx) => createPlace(tx, { name: 'Café fin', slug: 'cafe-tail' }, null));
		await database.exec(`INSERT INTO place_member (place_id, user_id, role_id) SELECT '${other.id}', '${staff.scope.userId}', id FROM role WHERE place_id = '${other.id}' AND key = 'admin'`);
		const ctx = await resolvePlace(database.db, 'cafe-tail', { id: staff.scope.userId!, isOperator: false });
		const p = await createProduct(database.db, ctx.scope, { name: 'Café', activity: 'cafe', vatCategory: 'soft_drink', prices: { public: 150 } });
		for (let i = 0; i < 3; i++) await recordSale(database.db, ctx.scope, { lines: [{ productId: p.id, quantity: 1 }], payments: [{ method: 'cash' }], training: true });
		expect(await verifyLedger(database.db, other.id)).toEqual({ ok: true, checked: 3, chains: 1 });
		await tamper(`DELETE FROM receipt WHERE place_id = '${other.id}' AND number = 3`);
		expect(await verifyLedger(database.db, other.id)).toMatchObject({ ok: false, checked: 2, firstBroken: { series: 'main', training: true, number: 3, reason: 'missing' } });
		await tamper(`DELETE FROM receipt WHERE place_id = '${other.id}'`);
		expect((await verifyLedger(database.db, other.id)).firstBroken).toEqual({ series: 'main', training: true, number: 1, reason: 'missing' });
	});
});
