// The background jobs on a real database (both engines): one pass expires unpaid orders past their deadline
// and releases what they held, a failing job does not stop the others, the timer runs passes without
// overlapping. (`lieu jobs run` is tested with the other commands in tests/db/cli.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { freshDatabase } from '../../../tests/helpers/db';
import type { Database } from './db/client';
import { createPlace } from '../modules/places/commands.server';
import { createUserRecord } from '../modules/people/users.server';
import { openOrder } from '../modules/money/checkout.server';
import { checkoutOrder } from '../modules/money/checkout-schema';
import { JOBS, runJobsOnce, startJobs, type Job } from './jobs';

let database: Database;
let placeId: string;
let buyerId: string;

beforeAll(async () => {
	database = await freshDatabase({ poolSize: 3 });
	const p = await database.db.transaction((tx) => createPlace(tx, { name: 'Tiers Jobs', slug: 'tiers-jobs' }, null));
	placeId = p.id;
	buyerId = (await createUserRecord(database.db, { email: 'jobs@example.org', name: 'Jo', password: 'correct horse battery staple' })).id;
});
afterAll(async () => {
	await database?.close();
});

/** An unpaid wallet top-up order, opened at `openedAt` with a 30-minute deadline. */
const openTopUp = (openedAt: Date) =>
	database.db.transaction((tx) =>
		openOrder(tx, {
			placeId,
			timezone: 'Europe/Paris',
			buyerId,
			createdBy: buyerId,
			now: openedAt,
			ttlMs: 30 * 60 * 1000,
			lines: [{ kind: 'wallet_credit', refId: null, label: 'Crédit', activity: 'other', quantity: 1, unitPriceCents: 2000, vatCategory: 'voucher', details: { unit: 'cents', amount: 2000 } }]
		})
	);
const statusOf = async (id: string) => (await database.db.select({ s: checkoutOrder.status }).from(checkoutOrder).where(eq(checkoutOrder.id, id)))[0].s;

describe('background jobs', () => {
	it('one pass expires the unpaid orders past their deadline and leaves the others', async () => {
		const stale = await openTopUp(new Date(Date.now() - 2 * 60 * 60 * 1000));
		const fresh = await openTopUp(new Date());
		const results = await runJobsOnce(database.db);
		expect(results.map((r) => r.name)).toEqual(JOBS.map((j) => j.name));
		expect(results.find((r) => r.name === 'orders.expire')).toEqual({ name: 'orders.expire', count: 1 });
		expect(await statusOf(stale.id)).toBe('expired');
		expect(await statusOf(fresh.id)).toBe('pending');
		// a second pass finds nothing left to do
		expect((await runJobsOnce(database.db)).find((r) => r.name === 'orders.expire')?.count).toBe(0);
	});

	it('a failing job is reported and the next ones still run', async () => {
		let ran = false;
		const jobs: Job[] = [
			{ name: 'broken', run: async () => Promise.reject(new Error('boom')) },
			{ name: 'after', run: async () => ((ran = true), 3) }
		];
		expect(await runJobsOnce(database.db, new Date(), jobs)).toEqual([
			{ name: 'broken', count: 0, error: 'boom' },
			{ name: 'after', count: 3 }
		]);
		expect(ran).toBe(true);
	});

	it('the timer runs passes one at a time and stop() waits for the one in progress', async () => {
		let active = 0;
		let maxActive = 0;
		let passes = 0;
		const slow: Job = {
			name: 'slow',
			run: async () => {
				active++;
				maxActive = Math.max(maxActive, active);
				await new Promise((r) => setTimeout(r, 60));
				active--;
				passes++;
				return 0;
			}
		};
		const stop = startJobs(async () => database.db, 10, [slow]);
		await new Promise((r) => setTimeout(r, 400));
		await stop();
		expect(passes).toBeGreaterThanOrEqual(2);
		expect(maxActive).toBe(1);
		expect(active).toBe(0);
		const after = passes;
		await new Promise((r) => setTimeout(r, 100));
		expect(passes).toBe(after);
	});

	it('the real timer expires a due order without anyone reading it', async () => {
		const stale = await openTopUp(new Date(Date.now() - 60 * 60 * 1000));
		const stop = startJobs(async () => database.db, 20);
		try {
			await expect.poll(() => statusOf(stale.id), { timeout: 5000, interval: 50 }).toBe('expired');
		} finally {
			await stop();
		}
	});
});
