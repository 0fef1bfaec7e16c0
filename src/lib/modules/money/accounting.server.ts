// Accounting exports (money.view): the FEC, the VAT summary and sales per activity, read from the till journal
// (real receipts only: training receipts never count; corrections count negative), aggregated in SQL per day
// in the place's time zone. Account overrides (money.manage) change the FEC's account numbers.
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../server/db/client';
import { accountSetting, place } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { parseInput } from '../../server/validation';
import { requirePermission, type PlaceScope } from '../places/policy';
import { addDays, zonedTimeToUtc } from '../places/time';
import type { Activity, PaymentMethod } from './schema';
import { periodInput, type PeriodInput } from './accounting-inputs';
import {
	ACCOUNT_RE,
	activityMonths,
	buildFec,
	defaultAccounts,
	fecFileName,
	sirenOf,
	tillDailyEntries,
	vatSummary,
	type AccountingEntriesSource,
	type AccountOverrides,
	type ActivityMonthRow,
	type DayLineTotal,
	type DayPaymentTotal,
	type DayReceipts
} from './accounting-rules';

async function rows<T>(db: DbOrTx, q: SQL): Promise<T[]> {
	return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

/** The instants [start, end) of a period of whole days in a time zone. */
export function periodInstants(period: { from: string; to: string }, timezone: string): { start: Date; end: Date } {
	return { start: zonedTimeToUtc(period.from, '00:00', timezone), end: zonedTimeToUtc(addDays(period.to, 1), '00:00', timezone) };
}

/** Sums of the receipt lines per local day, activity and VAT rate (real receipts of the place only). */
export async function loadDayLines(db: DbOrTx, placeId: string, timezone: string, start: Date, end: Date): Promise<DayLineTotal[]> {
	const r = await rows<{ day: string; activity: Activity; rate_bp: number; outside: boolean; voucher: boolean; ht: string; vat: string; ttc: string }>(
		db,
		sql`SELECT to_char(r.issued_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, l->>'activity' AS activity,
			(l->>'rateBp')::int AS rate_bp, (l->>'outsideScope')::boolean AS outside, coalesce((l->>'voucher')::boolean, false) AS voucher,
			sum((l->>'htCents')::bigint)::text AS ht, sum((l->>'vatCents')::bigint)::text AS vat, sum((l->>'totalCents')::bigint)::text AS ttc
		FROM receipt r CROSS JOIN LATERAL jsonb_array_elements(r.lines) AS l
		WHERE r.place_id = ${placeId} AND r.training = false AND r.issued_at >= ${start.toISOString()}::timestamptz AND r.issued_at < ${end.toISOString()}::timestamptz
		GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`
	);
	return r.map((x) => ({ day: x.day, activity: x.activity, rateBp: Number(x.rate_bp), outsideScope: Boolean(x.outside), ...(x.voucher ? { voucher: true } : {}), htCents: Number(x.ht), vatCents: Number(x.vat), ttcCents: Number(x.ttc) }));
}

/** Sums of the payments per local day and method. */
export async function loadDayPayments(db: DbOrTx, placeId: string, timezone: string, start: Date, end: Date): Promise<DayPaymentTotal[]> {
	const r = await rows<{ day: string; method: PaymentMethod; amount: string }>(
		db,
		sql`SELECT to_char(r.issued_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, p->>'method' AS method, sum((p->>'amountCents')::bigint)::text AS amount
		FROM receipt r CROSS JOIN LATERAL jsonb_array_elements(r.payments) AS p
		WHERE r.place_id = ${placeId} AND r.training = false AND r.issued_at >= ${start.toISOString()}::timestamptz AND r.issued_at < ${end.toISOString()}::timestamptz
		GROUP BY 1, 2 ORDER BY 1, 2`
	);
	return r.map((x) => ({ day: x.day, method: x.method, amountCents: Number(x.amount) }));
}

/** Receipts per local day: count, first and last number. */
export async function loadDayReceipts(db: DbOrTx, placeId: string, timezone: string, start: Date, end: Date): Promise<DayReceipts[]> {
	const r = await rows<{ day: string; n: string; first: number; last: number }>(
		db,
		sql`SELECT to_char(r.issued_at AT TIME ZONE ${timezone}, 'YYYY-MM-DD') AS day, count(*)::text AS n, min(r.number) AS first, max(r.number) AS last
		FROM receipt r
		WHERE r.place_id = ${placeId} AND r.training = false AND r.issued_at >= ${start.toISOString()}::timestamptz AND r.issued_at < ${end.toISOString()}::timestamptz
		GROUP BY 1 ORDER BY 1`
	);
	return r.map((x) => ({ day: x.day, count: Number(x.n), firstNumber: Number(x.first), lastNumber: Number(x.last) }));
}

/** Net receipts per month and activity (revenue lines only; a correction counts −1). */
export async function loadActivityCounts(db: DbOrTx, placeId: string, timezone: string, start: Date, end: Date): Promise<Array<{ month: string; activity: Activity; count: number }>> {
	const r = await rows<{ month: string; activity: Activity; n: string }>(
		db,
		sql`SELECT month, activity, sum(CASE WHEN kind = 'correction' THEN -1 ELSE 1 END)::text AS n FROM (
			SELECT DISTINCT r.id, r.kind, to_char(r.issued_at AT TIME ZONE ${timezone}, 'YYYY-MM') AS month, l->>'activity' AS activity
			FROM receipt r CROSS JOIN LATERAL jsonb_array_elements(r.lines) AS l
			WHERE r.place_id = ${placeId} AND r.training = false AND (l->>'outsideScope')::boolean = false
				AND r.issued_at >= ${start.toISOString()}::timestamptz AND r.issued_at < ${end.toISOString()}::timestamptz
		) x GROUP BY 1, 2 ORDER BY 1, 2`
	);
	return r.map((x) => ({ month: x.month, activity: x.activity, count: Number(x.n) }));
}

/** The place's account overrides (key → account). */
export async function loadAccountOverrides(db: DbOrTx, placeId: string): Promise<Record<string, string>> {
	const r = await db.select({ key: accountSetting.key, account: accountSetting.account }).from(accountSetting).where(eq(accountSetting.placeId, placeId));
	return Object.fromEntries(r.map((x) => [x.key, x.account]));
}

/** What the till source needs to read a place's journal. */
export interface TillSourceContext {
	db: DbOrTx;
	placeId: string;
	timezone: string;
	overrides: AccountOverrides;
}

/** The till journal as a source of accounting entries: one summary entry per day (journal VT). */
export const tillJournalSource: AccountingEntriesSource<TillSourceContext> = {
	name: 'till',
	async entries(ctx, period) {
		const { start, end } = periodInstants(period, ctx.timezone);
		const [lines, payments, receipts] = [
			await loadDayLines(ctx.db, ctx.placeId, ctx.timezone, start, end),
			await loadDayPayments(ctx.db, ctx.placeId, ctx.timezone, start, end),
			await loadDayReceipts(ctx.db, ctx.placeId, ctx.timezone, start, end)
		];
		return tillDailyEntries(lines, payments, receipts, ctx.overrides);
	}
};

/** Every source of the FEC. Invoices will add theirs here. */
export const ACCOUNTING_SOURCES: ReadonlyArray<AccountingEntriesSource<TillSourceContext>> = [tillJournalSource];

/**
 * The FEC of a period (money.view): every source's entries, numbered, with the legal file name. `siren`
 * is undefined when the place has no SIRET (the file is then named SANSSIREN… and the page says so).
 */
export async function exportFec(db: Db, scope: PlaceScope, raw: PeriodInput) {
	requirePermission(scope, 'money.view');
	const period = parseInput(periodInput, raw);
	const [p] = await db.select({ siret: place.siret }).from(place).where(eq(place.id, scope.placeId));
	if (!p) throw new AppError('not_found');
	const ctx: TillSourceContext = { db, placeId: scope.placeId, timezone: scope.timezone, overrides: await loadAccountOverrides(db, scope.placeId) };
	const entries = (await Promise.all(ACCOUNTING_SOURCES.map((s) => s.entries(ctx, period)))).flat();
	const fec = buildFec(entries);
	return { ...fec, fileName: fecFileName(p.siret, period.to), siren: sirenOf(p.siret), period };
}

/** The VAT summary of a period (money.view). */
export async function vatReport(db: Db, scope: PlaceScope, raw: PeriodInput) {
	requirePermission(scope, 'money.view');
	const period = parseInput(periodInput, raw);
	const { start, end } = periodInstants(period, scope.timezone);
	return { period, ...vatSummary(await loadDayLines(db, scope.placeId, scope.timezone, start, end)) };
}

/** Sales per activity and month over a period (money.view). */
export async function activityReport(db: Db, scope: PlaceScope, raw: PeriodInput): Promise<{ period: { from: string; to: string }; rows: ActivityMonthRow[] }> {
	requirePermission(scope, 'money.view');
	const period = parseInput(periodInput, raw);
	const { start, end } = periodInstants(period, scope.timezone);
	const lines = await loadDayLines(db, scope.placeId, scope.timezone, start, end);
	const counts = await loadActivityCounts(db, scope.placeId, scope.timezone, start, end);
	return { period, rows: activityMonths(lines, counts) };
}

/** The overridable accounts with their default and the place's current value (money.view). */
export async function listAccounts(db: Db, scope: PlaceScope): Promise<Array<{ key: string; defaultAccount: string; account: string | null }>> {
	requirePermission(scope, 'money.view');
	const o = await loadAccountOverrides(db, scope.placeId);
	return defaultAccounts().map((d) => ({ key: d.key, defaultAccount: d.account, account: o[d.key] ?? null }));
}

/**
 * Sets (or clears, with an empty value) the place's account numbers (money.manage), in one transaction with
 * its audit entry. Unknown keys and malformed numbers are refused per field.
 */
export async function setAccounts(db: Db, scope: PlaceScope, raw: Record<string, unknown>): Promise<void> {
	requirePermission(scope, 'money.manage');
	const keys = new Set(defaultAccounts().map((d) => d.key));
	const fields: Record<string, string> = {};
	const values: Array<{ key: string; account: string | null }> = [];
	for (const [k, v] of Object.entries(raw)) {
		if (!keys.has(k)) continue;
		const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
		if (s && !ACCOUNT_RE.test(s)) fields[k] = 'field.acct_account_invalid';
		else values.push({ key: k, account: s || null });
	}
	if (Object.keys(fields).length) throw new AppError('invalid_input', { fields });
	await db.transaction(async (tx) => {
		for (const v of values) {
			if (v.account === null) await tx.delete(accountSetting).where(and(eq(accountSetting.placeId, scope.placeId), eq(accountSetting.key, v.key)));
			else
				await tx
					.insert(accountSetting)
					.values({ placeId: scope.placeId, key: v.key, account: v.account })
					.onConflictDoUpdate({ target: [accountSetting.placeId, accountSetting.key], set: { account: v.account, updatedAt: new Date() } });
		}
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.accounts_set', targetType: 'place', targetId: scope.placeId, data: Object.fromEntries(values.map((v) => [v.key, v.account])) });
	});
}

/** The SIREN of the place (from its SIRET), undefined when none is set (money.view). */
export async function placeSiren(db: Db, scope: PlaceScope): Promise<string | undefined> {
	requirePermission(scope, 'money.view');
	const [p] = await db.select({ siret: place.siret }).from(place).where(eq(place.id, scope.placeId));
	return sirenOf(p?.siret);
}
