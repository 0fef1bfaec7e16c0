// Wallets on a real database (both engines): the append-only ledger, the balance as the sum of entries, no
// overdraft under concurrent spends, staff adjustments and refunds as credit (permission, reason, audit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { auditLog } from '../../server/db/schema';
import type { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { adjustWallet, appendWalletEntry, ledgerSum, myWallet, refundAsCredit, spendMinutes, walletBalances, walletOfMember } from './wallet.server';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Wallet A', slug: 'wallet-a' }, null);
		const b = await createPlace(tx, { name: 'Wallet B', slug: 'wallet-b' }, null);
		ids.place = a.id;
		ids.placeB = b.id;
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['adminB', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@wallet.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'staff', 'member']) ctx[key] = await resolvePlace(db, 'wallet-a', { id: ids[key], isOperator: false });
	ctx.adminB = await resolvePlace(db, 'wallet-b', { id: ids.adminB, isOperator: false });
});
afterAll(async () => {
	await database?.close();
});

describe('staff movements', () => {
	it('adjustments need money.manage, a reason and a member of the place; they are audited', async () => {
		expect((await fail(adjustWallet(database.db, ctx.staff.scope, { email: 'member@wallet.test', unit: 'cents', amount: 500, reason: 'geste' })))?.code).toBe('forbidden');
		const noReason = await fail(adjustWallet(database.db, ctx.admin.scope, { email: 'member@wallet.test', unit: 'cents', amount: 500, reason: ' ' }));
		expect(noReason?.fields).toEqual({ reason: 'field.required' });
		const stranger = await fail(adjustWallet(database.db, ctx.adminB.scope, { email: 'member@wallet.test', unit: 'cents', amount: 500, reason: 'pas chez nous' }));
		expect(stranger?.fields).toEqual({ email: 'wallet.unknown_member' });
		const e = await adjustWallet(database.db, ctx.admin.scope, { email: 'MEMBER@wallet.test', unit: 'minutes', amount: 120, reason: 'Heures offertes (bénévolat)' });
		expect(e).toMatchObject({ kind: 'adjustment', amount: 120, unit: 'minutes', actorId: ids.admin, note: 'Heures offertes (bénévolat)' });
		const [a] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'money.wallet_adjust'), eq(auditLog.targetId, ids.member)));
		expect(a.data).toMatchObject({ amount: 120, unit: 'minutes', balance: 120 });
		// an adjustment cannot overdraw either
		const over = await fail(adjustWallet(database.db, ctx.admin.scope, { email: 'member@wallet.test', unit: 'minutes', amount: -121, reason: 'erreur de saisie' }));
		expect(over?.fields).toEqual({ amount: 'wallet.insufficient' });
	});
	it('refunds as credit add euros, audited; balances are per place', async () => {
		await refundAsCredit(database.db, ctx.admin.scope, { email: 'member@wallet.test', amountCents: 1000, reason: 'Atelier annulé' });
		const w = await myWallet(database.db, ctx.member.scope);
		expect([w.cents, w.minutes]).toEqual([1000, 120]);
		expect(w.entries.map((e) => e.kind).sort()).toEqual(['adjustment', 'refund_credit']);
		expect(await walletBalances(database.db, ids.placeB, ids.member)).toEqual({ cents: 0, minutes: 0 });
		expect((await fail(walletOfMember(database.db, ctx.member.scope, ids.member)))?.code).toBe('forbidden');
		expect((await walletOfMember(database.db, ctx.admin.scope, ids.member)).cents).toBe(1000);
	});
});

describe('ledger invariants', () => {
	it('20 concurrent spends of 100 on a balance of 1000: exactly 10 succeed, balance 0 = sum of entries', async () => {
		const results = await Promise.allSettled(
			Array.from({ length: 20 }, () =>
				database.db.transaction((tx) => appendWalletEntry(tx, { placeId: ids.place, userId: ids.member, unit: 'cents', amount: -100, kind: 'spend', actorId: ids.member }))
			)
		);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
		for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).fields).toEqual({ amount: 'wallet.insufficient' });
		expect((await walletBalances(database.db, ids.place, ids.member)).cents).toBe(0);
		expect(await ledgerSum(database.db, ids.place, ids.member, 'cents')).toBe(0);
	});
	it('concurrent minute spends (machine bookings) never drive the balance below zero', async () => {
		const results = await Promise.allSettled(Array.from({ length: 8 }, () => database.db.transaction((tx) => spendMinutes(tx, { placeId: ids.place, userId: ids.member, minutes: 45, actorId: null }))));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
		expect((await walletBalances(database.db, ids.place, ids.member)).minutes).toBe(30);
		expect(await ledgerSum(database.db, ids.place, ids.member, 'minutes')).toBe(30);
	});
	it('the database refuses to edit or delete entries, to edit a balance, and an overdraft without lock', async () => {
		await expect(database.exec(`UPDATE wallet_entry SET amount = 99999`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`DELETE FROM wallet_entry`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`TRUNCATE wallet_entry`)).rejects.toThrow(/append-only/);
		await expect(database.exec(`UPDATE wallet SET balance = 99999`)).rejects.toThrow(/only through wallet_entry/);
		await expect(database.exec(`DELETE FROM wallet`)).rejects.toThrow(/only through wallet_entry/);
		await expect(database.exec(`INSERT INTO wallet_entry (id, place_id, user_id, unit, amount, kind) VALUES ('x1', '${ids.place}', '${ids.member}', 'minutes', -31, 'spend')`)).rejects.toThrow(/wallet_balance_ck/);
		await expect(database.exec(`INSERT INTO wallet_entry (id, place_id, user_id, unit, amount, kind) VALUES ('x2', '${ids.place}', '${ids.member}', 'minutes', -5, 'topup')`)).rejects.toThrow(/wallet_entry_sign_ck/);
		expect((await walletBalances(database.db, ids.place, ids.member)).minutes).toBe(30);
	});
});
