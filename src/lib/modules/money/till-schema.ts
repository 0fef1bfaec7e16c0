// Cash drawer sessions of the staff till ("caisse"): one open session per till at most, closed once and for all.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, integer, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

/**
 * A cash drawer session of a till: the opening float counted in the morning, and at close the cash counted,
 * the cash expected (float + cash payments of the real receipts of that till during the session) and the
 * difference (counted − expected, may be negative). A closed session never changes (trigger, drizzle
 * till_custom migration); rows are never deleted.
 */
export const cashSession = pgTable(
	'cash_session',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id),
		till: text('till').notNull(),
		openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }).notNull(),
		/** User id of who opened (pseudonymous, like receipts' operator_ref). */
		openedBy: text('opened_by'),
		openingFloatCents: integer('opening_float_cents').notNull(),
		closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
		closedBy: text('closed_by'),
		countedCents: integer('counted_cents'),
		expectedCents: integer('expected_cents'),
		differenceCents: integer('difference_cents'),
		note: text('note')
	},
	(t) => [
		// why: one open drawer per till, even when two people open it at the same moment.
		uniqueIndex('cash_session_open_uq').on(t.placeId, t.till).where(sql`${t.closedAt} IS NULL`),
		index('cash_session_place_idx').on(t.placeId, t.openedAt),
		check('cash_session_float_ck', sql`${t.openingFloatCents} >= 0`),
		check('cash_session_counted_ck', sql`${t.countedCents} IS NULL OR ${t.countedCents} >= 0`),
		// why: a closed session carries all of its closing figures, consistent with each other; an open one none.
		check(
			'cash_session_closed_ck',
			sql`(${t.closedAt} IS NULL AND ${t.countedCents} IS NULL AND ${t.expectedCents} IS NULL AND ${t.differenceCents} IS NULL AND ${t.closedBy} IS NULL)
			 OR (${t.closedAt} IS NOT NULL AND ${t.countedCents} IS NOT NULL AND ${t.expectedCents} IS NOT NULL AND ${t.differenceCents} = ${t.countedCents} - ${t.expectedCents} AND ${t.closedAt} >= ${t.openedAt})`
		)
	]
);
