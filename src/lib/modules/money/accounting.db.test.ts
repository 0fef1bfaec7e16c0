// Accounting exports and the money dashboard on a real database (both engines): the FEC's totals equal the
// receipts' totals for the period (corrections included, training excluded, days in the place's zone),
// another place's receipts never appear, account overrides, VAT summary, and the permissions and audit of
// costs and subsidies (management data, never revenue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../../../../tests/helpers/db';
import type { Database } from '../../server/db/client';
import { AppError } from '../../server/errors';
import { createPlace, addMember } from '../places/commands.server';
import { createUserRecord } from '../people/users.server';
import { resolvePlace, type PlaceContext } from '../../server/place-context';
import { createProduct, recordCorrection, recordSale } from './commands.server';
import { sumPayments, sumRateTotals } from './rules';
import { FEC_COLUMNS } from './accounting-rules';
import { activityReport, exportFec, setAccounts, vatReport, listAccounts } from './accounting.server';
import { addCost, addSubsidy, deleteCost, deleteSubsidy, financeDashboard } from './finances.server';
import type { Receipt } from './commands.server';

let database: Database;
const ids: Record<string, string> = {};
const ctx: Record<string, PlaceContext> = {};
const sales: Receipt[] = [];

/** An instant given as Paris wall-clock time in March 2026 (UTC+1). */
const paris = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+01:00`);

beforeAll(async () => {
	database = await freshDatabase();
	const db = database.db;
	await db.transaction(async (tx) => {
		const a = await createPlace(tx, { name: 'Tiers-lieu A', slug: 'compta-a', siret: '12345678900012' } as never, null);
		const b = await createPlace(tx, { name: 'Tiers-lieu B', slug: 'compta-b' }, null);
		for (const [key, roleKey, placeId] of [
			['admin', 'admin', a.id],
			['staff', 'staff', a.id],
			['member', 'member', a.id],
			['adminB', 'admin', b.id]
		] as const) {
			const u = await createUserRecord(tx, { email: `${key}@compta.test`, name: key, password: 'une phrase assez longue 42' });
			ids[key] = u.id;
			await addMember(tx, placeId, u.id, roleKey, null);
		}
	});
	for (const key of ['admin', 'staff', 'member']) ctx[key] = await resolvePlace(db, 'compta-a', { id: ids[key], isOperator: false });
	ctx.adminB = await resolvePlace(db, 'compta-b', { id: ids.adminB, isOperator: false });
	const mk = (c: PlaceContext, name: string, activity: string, vatCategory: string, cents: number) => createProduct(db, c.scope, { name, activity, vatCategory, prices: { public: cents } } as never).then((p) => (ids[name] = p.id));
	await mk(ctx.admin, 'Plat', 'cafe', 'food', 1250);
	await mk(ctx.admin, 'Bière', 'cafe', 'alcohol', 450);
	await mk(ctx.admin, 'Laser', 'machines', 'machine_time', 3000);
	await mk(ctx.admin, 'Part', 'shares', 'share', 5000);
	await mk(ctx.adminB, 'Plat B', 'cafe', 'food', 999);
	const sell = async (c: PlaceContext, at: Date, lines: Array<[string, number]>, payments: Array<{ method: 'cash' | 'card' | 'cheque' | 'transfer'; amountCents?: number }>, training = false) => {
		const r = await recordSale(db, c.scope, { lines: lines.map(([p, q]) => ({ productId: ids[p], quantity: q, context: 'on_site' })), payments, training }, { now: at });
		if (!training && c === ctx.staff) sales.push(r);
		return r;
	};
	// Place A, 2 and 3 March (Paris): dishes, beer, laser, shares, split payments; a correction; training.
	await sell(ctx.staff, paris('2026-03-02', '12:10'), [['Plat', 2], ['Bière', 1]], [{ method: 'cash' }]);
	await sell(ctx.staff, paris('2026-03-02', '12:40'), [['Plat', 1], ['Laser', 1]], [{ method: 'card', amountCents: 2000 }, { method: 'cash' }]);
	await sell(ctx.staff, paris('2026-03-02', '17:00'), [['Part', 2]], [{ method: 'cheque' }]);
	// 23:30 in Paris on the 2nd is already the 3rd in UTC+5:45 (the test zone) but still the 2nd for the place.
	await sell(ctx.staff, paris('2026-03-02', '23:30'), [['Bière', 3]], [{ method: 'card' }]);
	const cancelled = await sell(ctx.staff, paris('2026-03-03', '12:05'), [['Plat', 3]], [{ method: 'card' }]);
	sales.push(await recordCorrection(db, ctx.admin.scope, { receiptId: cancelled.id }, { now: paris('2026-03-03', '12:07') }));
	await sell(ctx.staff, paris('2026-03-03', '12:30'), [['Plat', 1]], [{ method: 'transfer' }]);
	await sell(ctx.staff, paris('2026-03-03', '13:00'), [['Plat', 5]], [{ method: 'cash' }], true);
	// Outside the period (1 March and 4 March) and in place B.
	await sell(ctx.staff, paris('2026-03-01', '23:50'), [['Plat', 1]], [{ method: 'cash' }]);
	await sell(ctx.staff, paris('2026-03-04', '00:10'), [['Plat', 1]], [{ method: 'cash' }]);
	await recordSale(db, ctx.adminB.scope, { lines: [{ productId: ids['Plat B'], quantity: 7, context: 'on_site' }], payments: [{ method: 'cash' }] }, { now: paris('2026-03-02', '12:00') });
});
afterAll(async () => {
	await database?.close();
});

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as AppError);
const period = { from: '2026-03-02', to: '2026-03-03' };
/** The receipts of place A issued on 2–3 March in Paris (real ones, corrections included). */
const inPeriod = () => sales.filter((r) => r.issuedAt >= paris('2026-03-02', '00:00') && r.issuedAt < paris('2026-03-04', '00:00'));
const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);

describe('FEC', () => {
	it('has the 18 columns and one balanced entry per day whose totals equal the receipts (corrections in, training out)', async () => {
		const fec = await exportFec(database.db, ctx.admin.scope, period);
		expect(fec.fileName).toBe('123456789FEC20260303.txt');
		const rows = fec.text.split('\r\n').slice(0, -1).map((r) => r.split('\t'));
		expect(rows[0]).toEqual([...FEC_COLUMNS]);
		const cells = rows.slice(1).map((r) => Object.fromEntries(r.map((v, i) => [FEC_COLUMNS[i], v])));
		for (const r of rows) expect(r).toHaveLength(18);
		expect([...new Set(cells.map((c) => `${c.EcritureNum}:${c.EcritureDate}`))]).toEqual(['1:20260302', '2:20260303']);
		for (const n of ['1', '2']) {
			const lines = cells.filter((c) => c.EcritureNum === n);
			expect(lines.reduce((s, c) => s + cents(c.Debit), 0)).toBe(lines.reduce((s, c) => s + cents(c.Credit), 0));
		}
		const receipts = inPeriod();
		expect(receipts).toHaveLength(7);
		// Payment accounts (class 5) carry what the receipts cashed, per method.
		const byMethod = Object.fromEntries(sumPayments(receipts.map((r) => r.payments)).map((p) => [p.method, p.amountCents]));
		const account = (acc: string) => cells.filter((c) => c.CompteNum === acc).reduce((s, c) => s + cents(c.Debit) - cents(c.Credit), 0);
		expect(account('530000')).toBe(byMethod.cash);
		expect(account('511500')).toBe(byMethod.card);
		expect(account('511200')).toBe(byMethod.cheque);
		expect(account('512000')).toBe(byMethod.transfer);
		expect(fec.debitCents).toBe(fec.creditCents);
		// Revenue + VAT + capital credited = the receipts' total; shares on 1013, never revenue.
		const totals = sumRateTotals(receipts.map((r) => r.totals));
		const vat20 = totals.find((t) => t.rateBp === 2000 && !t.outsideScope)!;
		expect(-account('445711')).toBe(vat20.vatCents);
		expect(-account('101300')).toBe(10000);
		const credited = cells.filter((c) => /^[147]/.test(c.CompteNum)).reduce((s, c) => s + cents(c.Credit) - cents(c.Debit), 0);
		expect(credited).toBe(receipts.reduce((s, r) => s + r.totalCents, 0));
		// The late beer (23:30 Paris) is on the 2nd; the training sale and place B's 7 dishes are nowhere.
		expect(cells.filter((c) => c.EcritureDate === '20260302' && c.CompteNum === '511500').map((c) => c.Debit)).toEqual(['33,50']);
		expect(fec.text).not.toContain('69,93');
		expect(fec.text).not.toMatch(/@|compta\.test/);
	});
	it('uses the place’s account overrides; refuses bad numbers; needs money.view / money.manage', async () => {
		const e = await fail(setAccounts(database.db, ctx.admin.scope, { 'revenue:cafe': '7x', 'payment:cash': '531' }));
		expect(e?.code).toBe('invalid_input');
		expect(e?.fields).toEqual({ 'revenue:cafe': 'field.acct_account_invalid' });
		expect((await fail(setAccounts(database.db, ctx.staff.scope, { 'payment:cash': '531' })))?.code).toBe('forbidden');
		await setAccounts(database.db, ctx.admin.scope, { 'payment:cash': '531000', 'revenue:cafe': '706500' });
		const fec = await exportFec(database.db, ctx.admin.scope, period);
		expect(fec.text).toContain('\t531000\t');
		expect(fec.text).not.toContain('\t530000\t');
		expect(fec.text).toContain('\t706500\t');
		expect((await listAccounts(database.db, ctx.admin.scope)).find((a) => a.key === 'payment:cash')).toEqual({ key: 'payment:cash', defaultAccount: '530000', account: '531000' });
		await setAccounts(database.db, ctx.admin.scope, { 'payment:cash': '', 'revenue:cafe': '' });
		expect((await exportFec(database.db, ctx.admin.scope, period)).text).toContain('\t530000\t');
		// Place B does not see A's overrides nor its receipts; its FEC says it has no SIREN.
		const fecB = await exportFec(database.db, ctx.adminB.scope, period);
		expect(fecB.fileName).toBe('SANSSIRENFEC20260303.txt');
		expect(fecB.debitCents).toBe(6993);
		expect((await fail(exportFec(database.db, ctx.staff.scope, period)))?.code).toBe('forbidden');
		expect((await fail(exportFec(database.db, ctx.admin.scope, { from: '2026-03-05', to: '2026-03-01' })))?.fields).toEqual({ to: 'field.acct_period_reversed' });
	});
});

describe('account overrides under concurrency', () => {
	it('twenty admins saving the same account at once: no error, one row, one of their values', async () => {
		const values = Array.from({ length: 20 }, (_, i) => `5300${String(i).padStart(2, '0')}`);
		await Promise.all(values.map((v) => setAccounts(database.db, ctx.admin.scope, { 'payment:cash': v })));
		const rows = await database.query<{ account: string }>(`SELECT account FROM account_setting WHERE place_id = $1 AND key = 'payment:cash'`, [ctx.admin.scope.placeId]);
		expect(rows).toHaveLength(1);
		expect(values).toContain(rows[0].account);
		await setAccounts(database.db, ctx.admin.scope, { 'payment:cash': '' });
		expect(await database.query(`SELECT 1 FROM account_setting WHERE place_id = $1`, [ctx.admin.scope.placeId])).toEqual([]);
	});
});

describe('VAT summary and sales per activity', () => {
	it('equal the sums of the receipts’ totals per rate, outside scope apart', async () => {
		const v = await vatReport(database.db, ctx.admin.scope, period);
		const totals = sumRateTotals(inPeriod().map((r) => r.totals));
		expect(v.rows.map((r) => [r.rateBp, r.outsideScope, r.htCents, r.vatCents, r.ttcCents]).sort()).toEqual(totals.map((r) => [r.rateBp, r.outsideScope, r.htCents, r.vatCents, r.ttcCents]).sort());
		expect(v.outside.ttcCents).toBe(10000);
		const a = await activityReport(database.db, ctx.admin.scope, period);
		expect(a.rows.map((r) => [r.month, r.activity, r.count])).toEqual([
			['2026-03', 'cafe', 4],
			['2026-03', 'machines', 1]
		]);
		expect(a.rows.reduce((s, r) => s + r.ttcCents, 0)).toBe(inPeriod().reduce((s, r) => s + r.totalCents, 0) - 10000);
	});
});

describe('costs and subsidies', () => {
	it('only money.manage adds or removes them; bad input is refused per field; each change is audited', async () => {
		expect((await fail(addCost(database.db, ctx.staff.scope, { month: '2026-03', category: 'rent', amount: '1800' })))?.code).toBe('forbidden');
		expect((await fail(addCost(database.db, ctx.member.scope, { month: '2026-03', category: 'rent', amount: '1800' })))?.code).toBe('forbidden');
		const bad = await fail(addCost(database.db, ctx.admin.scope, { month: '2026-3', category: 'rent', amount: 'beaucoup' }));
		expect(bad?.fields).toEqual({ month: 'field.acct_month_invalid', amount: 'field.acct_amount_invalid' });
		const c = await addCost(database.db, ctx.admin.scope, { month: '2026-03', category: 'rent', label: 'Loyer', amount: '1 800,00' });
		expect(c).toMatchObject({ month: '2026-03-01', amountCents: 180000 });
		await addCost(database.db, ctx.admin.scope, { month: '2026-03', category: 'salaries', amount: '7000' });
		const s = await addSubsidy(database.db, ctx.admin.scope, { funder: 'Région Île-de-France', amount: '45 000', grantedOn: '2026-01-15', purpose: 'Espace machine' });
		expect(s).toMatchObject({ amountCents: 4_500_000, receivedOn: null });
		expect((await fail(addSubsidy(database.db, ctx.staff.scope, { funder: 'X', amount: '1', grantedOn: '2026-01-15' })))?.code).toBe('forbidden');
		// Another place's admin cannot delete them.
		expect((await fail(deleteCost(database.db, ctx.adminB.scope, c.id)))?.code).toBe('not_found');
		expect((await fail(deleteSubsidy(database.db, ctx.adminB.scope, s.id)))?.code).toBe('not_found');
		const audits = await database.query<{ action: string }>(`SELECT action FROM audit_log WHERE place_id = $1 AND action LIKE 'money.%_add' ORDER BY id`, [ctx.admin.scope.placeId]);
		expect(audits.map((a) => a.action)).toEqual(['money.cost_add', 'money.cost_add', 'money.subsidy_add']);
	});
	it('the dashboard shows revenue excluding VAT per activity (no shares, no subsidies), costs per month and subsidies apart', async () => {
		const d = await financeDashboard(database.db, ctx.admin.scope, { now: paris('2026-03-20', '10:00') });
		expect(d.months).toHaveLength(12);
		expect(d.months[11].month).toBe('2026-03');
		const march = d.months[11];
		const receipts = sales.filter((r) => r.issuedAt >= paris('2026-03-01', '00:00'));
		const ht = receipts.flatMap((r) => r.lines).filter((l) => !l.outsideScope).reduce((s, l) => s + l.htCents, 0);
		expect(march.revenueCents).toBe(ht);
		expect(march.revenue.shares).toBeUndefined();
		expect(march.costsCents).toBe(880000);
		expect(d.current.month).toBe('2026-03');
		expect(d.subsidiesTotalCents).toBe(4_500_000);
		expect(d.months.reduce((s, m) => s + m.revenueCents, 0)).toBe(ht);
		expect((await fail(financeDashboard(database.db, ctx.staff.scope)))?.code).toBe('forbidden');
		const dB = await financeDashboard(database.db, ctx.adminB.scope, { now: paris('2026-03-20', '10:00') });
		expect(dB.costs).toEqual([]);
		expect(dB.subsidies).toEqual([]);
	});
	it('a removed cost leaves the dashboard and its audit entry keeps what it was', async () => {
		const d = await financeDashboard(database.db, ctx.admin.scope, { now: paris('2026-03-20', '10:00') });
		const rent = d.costs.find((c) => c.category === 'rent')!;
		await deleteCost(database.db, ctx.admin.scope, rent.id);
		expect((await financeDashboard(database.db, ctx.admin.scope, { now: paris('2026-03-20', '10:00') })).months[11].costsCents).toBe(700000);
		const [a] = await database.query<{ data: { amountCents: number } }>(`SELECT data FROM audit_log WHERE action = 'money.cost_delete' AND target_id = $1`, [rent.id]);
		expect(a.data.amountCents).toBe(180000);
		expect((await fail(deleteCost(database.db, ctx.admin.scope, rent.id)))?.code).toBe('not_found');
	});
	it('the database refuses a cost on a day other than the 1st, a zero amount, a subsidy received before granted', async () => {
		const placeId = ctx.admin.scope.placeId;
		await expect(database.exec(`INSERT INTO cost_entry (id, place_id, month, category, amount_cents) VALUES ('x1', '${placeId}', '2026-03-02', 'rent', 100)`)).rejects.toThrow();
		await expect(database.exec(`INSERT INTO cost_entry (id, place_id, month, category, amount_cents) VALUES ('x2', '${placeId}', '2026-03-01', 'rent', 0)`)).rejects.toThrow();
		await expect(database.exec(`INSERT INTO subsidy (id, place_id, funder, amount_cents, granted_on, received_on) VALUES ('x3', '${placeId}', 'F', 100, '2026-03-02', '2026-03-01')`)).rejects.toThrow();
	});
});
