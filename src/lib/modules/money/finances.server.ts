// The admins' money dashboard: revenue per activity per month (from the till journal), costs per month and
// investment subsidies (management data entered by admins with money.manage; audited, never revenue).
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../../server/db/client';
import { costEntry, subsidy } from '../../server/db/schema';
import { AppError } from '../../server/errors';
import { audit } from '../../server/audit';
import { newId } from '../../server/ids';
import { parseInput } from '../../server/validation';
import { requirePermission, type PlaceScope } from '../places/policy';
import { wallClock } from '../places/time';
import type { Activity } from './schema';
import { costInput, subsidyInput, type CostInput, type SubsidyInput } from './accounting-inputs';
import { activityMonths, lastMonths, monthEnd } from './accounting-rules';
import { loadActivityCounts, loadDayLines, periodInstants } from './accounting.server';

export type CostEntry = typeof costEntry.$inferSelect;
export type Subsidy = typeof subsidy.$inferSelect;

/** Adds a cost to a month (money.manage). */
export async function addCost(db: Db, scope: PlaceScope, raw: CostInput): Promise<CostEntry> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(costInput, raw);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(costEntry)
			.values({ id: newId(), placeId: scope.placeId, month: `${input.month}-01`, category: input.category, label: input.label, amountCents: input.amount })
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.cost_add', targetType: 'cost_entry', targetId: row.id, data: { month: input.month, category: input.category, amountCents: input.amount } });
		return row;
	});
}

/** Removes a cost entered by mistake (money.manage); the audit entry keeps what it was. */
export async function deleteCost(db: Db, scope: PlaceScope, id: unknown): Promise<void> {
	requirePermission(scope, 'money.manage');
	if (typeof id !== 'string' || !id || id.length > 64) throw new AppError('not_found');
	await db.transaction(async (tx) => {
		const [row] = await tx.delete(costEntry).where(and(eq(costEntry.placeId, scope.placeId), eq(costEntry.id, id))).returning();
		if (!row) throw new AppError('not_found');
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.cost_delete', targetType: 'cost_entry', targetId: row.id, data: { month: row.month, category: row.category, label: row.label, amountCents: row.amountCents } });
	});
}

/** Records an investment subsidy (money.manage). */
export async function addSubsidy(db: Db, scope: PlaceScope, raw: SubsidyInput): Promise<Subsidy> {
	requirePermission(scope, 'money.manage');
	const input = parseInput(subsidyInput, raw);
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(subsidy)
			.values({ id: newId(), placeId: scope.placeId, funder: input.funder, amountCents: input.amount, grantedOn: input.grantedOn, purpose: input.purpose, receivedOn: input.receivedOn || null })
			.returning();
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.subsidy_add', targetType: 'subsidy', targetId: row.id, data: { funder: input.funder, amountCents: input.amount, grantedOn: input.grantedOn } });
		return row;
	});
}

/** Removes a subsidy recorded by mistake (money.manage), audited. */
export async function deleteSubsidy(db: Db, scope: PlaceScope, id: unknown): Promise<void> {
	requirePermission(scope, 'money.manage');
	if (typeof id !== 'string' || !id || id.length > 64) throw new AppError('not_found');
	await db.transaction(async (tx) => {
		const [row] = await tx.delete(subsidy).where(and(eq(subsidy.placeId, scope.placeId), eq(subsidy.id, id))).returning();
		if (!row) throw new AppError('not_found');
		await audit(tx, { placeId: scope.placeId, actorId: scope.userId, action: 'money.subsidy_delete', targetType: 'subsidy', targetId: row.id, data: { funder: row.funder, amountCents: row.amountCents, grantedOn: row.grantedOn } });
	});
}

export interface DashboardMonth {
	/** YYYY-MM */
	month: string;
	/** Revenue excluding VAT per activity (outside-scope lines such as shares are not revenue). */
	revenue: Partial<Record<Activity, number>>;
	revenueCents: number;
	costsCents: number;
}

/**
 * The dashboard of the 12 months ending with `endMonth` (YYYY-MM, default: the current month in the place's
 * zone) (money.view): revenue per activity and month, costs per month and their entries, subsidies apart.
 */
export async function financeDashboard(db: Db, scope: PlaceScope, opts: { endMonth?: string; now?: Date } = {}) {
	requirePermission(scope, 'money.view');
	const today = wallClock(opts.now ?? new Date(), scope.timezone).date;
	const end = opts.endMonth && /^\d{4}-(0[1-9]|1[0-2])$/.test(opts.endMonth) && opts.endMonth >= '2000-01' && opts.endMonth <= '2999-12' ? opts.endMonth : today.slice(0, 7);
	const months = lastMonths(`${end}-01`, 12);
	const period = { from: `${months[0]}-01`, to: monthEnd(`${end}-01`) };
	const { start, end: endAt } = periodInstants(period, scope.timezone);
	const lines = await loadDayLines(db, scope.placeId, scope.timezone, start, endAt);
	const counts = await loadActivityCounts(db, scope.placeId, scope.timezone, start, endAt);
	const byActivity = activityMonths(lines, counts);
	const costRows = await db
		.select()
		.from(costEntry)
		.where(and(eq(costEntry.placeId, scope.placeId), gte(costEntry.month, period.from), lte(costEntry.month, period.to)))
		.orderBy(desc(costEntry.month), asc(costEntry.category), asc(costEntry.createdAt));
	const data: DashboardMonth[] = months.map((month) => {
		const rs = byActivity.filter((r) => r.month === month);
		return {
			month,
			revenue: Object.fromEntries(rs.map((r) => [r.activity, r.htCents])),
			revenueCents: rs.reduce((s, r) => s + r.htCents, 0),
			costsCents: costRows.filter((c) => c.month.startsWith(month)).reduce((s, c) => s + c.amountCents, 0)
		};
	});
	const subsidies = await db.select().from(subsidy).where(eq(subsidy.placeId, scope.placeId)).orderBy(desc(subsidy.grantedOn), asc(subsidy.funder));
	const [{ total }] = await db
		.select({ total: sql<string>`coalesce(sum(${subsidy.amountCents}), 0)::text` })
		.from(subsidy)
		.where(eq(subsidy.placeId, scope.placeId));
	const current = data.find((m) => m.month === today.slice(0, 7)) ?? data[data.length - 1];
	return { endMonth: end, months: data, activities: byActivity, costs: costRows, subsidies, subsidiesTotalCents: Number(total), current, period, today };
}
