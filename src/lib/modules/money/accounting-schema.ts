// Management data of the money dashboard (costs per month, investment subsidies) and the place's chart of
// accounts overrides for the FEC export. Not fiscal evidence: edits are allowed, each one audited.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, integer, date, index, check, primaryKey } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

export const COST_CATEGORIES = ['rent', 'salaries', 'food', 'supplies', 'energy', 'insurance', 'services', 'other'] as const;
export type CostCategory = (typeof COST_CATEGORIES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** A cost of one month (rent, salaries, food supplies…), entered by an admin to draw the break-even line. */
export const costEntry = pgTable(
	'cost_entry',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		/** First day of the month (YYYY-MM-01). */
		month: date('month', { mode: 'string' }).notNull(),
		category: text('category').$type<CostCategory>().notNull(),
		label: text('label').notNull().default(''),
		amountCents: integer('amount_cents').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('cost_entry_place_month_idx').on(t.placeId, t.month),
		check('cost_entry_category_ck', sql`${t.category} IN (${inList(COST_CATEGORIES)})`),
		// why: a month is stored as its first day, so "costs of March" is one equality, whatever the zone.
		check('cost_entry_month_ck', sql`extract(day from ${t.month}) = 1`),
		check('cost_entry_amount_ck', sql`${t.amountCents} > 0 AND ${t.amountCents} <= 100000000`)
	]
);

/** An investment subsidy (fit-out, building): tracked apart from revenue, never counted as revenue. */
export const subsidy = pgTable(
	'subsidy',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		funder: text('funder').notNull(),
		amountCents: integer('amount_cents').notNull(),
		grantedOn: date('granted_on', { mode: 'string' }).notNull(),
		purpose: text('purpose').notNull().default(''),
		receivedOn: date('received_on', { mode: 'string' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('subsidy_place_idx').on(t.placeId, t.grantedOn),
		check('subsidy_amount_ck', sql`${t.amountCents} > 0 AND ${t.amountCents} <= 1000000000`),
		check('subsidy_received_ck', sql`${t.receivedOn} IS NULL OR ${t.receivedOn} >= ${t.grantedOn}`)
	]
);

/**
 * A place's override of a default account of the FEC export (key: "revenue:cafe", "vat:1000",
 * "payment:card", "outside:shares"…; see accounting-rules.ts). Absent key = the PCG default.
 */
export const accountSetting = pgTable(
	'account_setting',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		key: text('key').notNull(),
		account: text('account').notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.placeId, t.key] }),
		// why: the FEC wants account numbers that start with the PCG class digits.
		check('account_setting_account_ck', sql`${t.account} ~ '^[1-8][0-9]{2}[0-9A-Z]{0,9}$'`)
	]
);
