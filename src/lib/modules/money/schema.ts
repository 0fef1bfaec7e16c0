import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, integer, bigint, date, jsonb, serial, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

export const ACTIVITIES = ['cafe', 'machines', 'events', 'residents', 'memberships', 'shares', 'other'] as const;
export type Activity = (typeof ACTIVITIES)[number];
/** 'menu': a set menu (formule) whose price is split across its components' VAT rates (product_component). */
export const VAT_CATEGORIES = ['food', 'soft_drink', 'alcohol', 'service', 'machine_time', 'room', 'share', 'donation', 'menu'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];
export const AUDIENCES = ['public', 'member', 'reduced', 'resident'] as const;
export type Audience = (typeof AUDIENCES)[number];
/** Consumption context of a sale line (decides the food VAT rate). */
export const SALE_CONTEXTS = ['on_site', 'takeaway_now', 'takeaway_later'] as const;
export type SaleContext = (typeof SALE_CONTEXTS)[number];
export const VAT_CONTEXTS = [...SALE_CONTEXTS, 'any'] as const;
export type VatContext = (typeof VAT_CONTEXTS)[number];
export const PAYMENT_METHODS = ['cash', 'card', 'cheque', 'transfer', 'online', 'wallet'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const RECEIPT_KINDS = ['sale', 'correction'] as const;
export type ReceiptKind = (typeof RECEIPT_KINDS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** Something a place sells: a dish, a drink, an hour of laser, a membership, a share. */
export const product = pgTable(
	'product',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** What the revenue counts for on the dashboard. */
		activity: text('activity').$type<Activity>().notNull(),
		/** Base VAT category; the rate is resolved per sale line with the consumption context and date. */
		vatCategory: text('vat_category').$type<VatCategory>().notNull(),
		/** Inactive products are not sold nor listed (kept: receipts name them). */
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('product_place_idx').on(t.placeId, t.activity),
		check('product_activity_ck', sql`${t.activity} IN (${inList(ACTIVITIES)})`),
		check('product_vat_category_ck', sql`${t.vatCategory} IN (${inList(VAT_CATEGORIES)})`)
	]
);

/** Price of a product for one audience, VAT included, in cents. */
export const productPrice = pgTable(
	'product_price',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		productId: text('product_id').notNull().references(() => product.id, { onDelete: 'cascade' }),
		audience: text('audience').$type<Audience>().notNull(),
		amountCents: integer('amount_cents').notNull()
	},
	(t) => [
		// why: one price per product and audience, even when two admins edit the same product at once.
		primaryKey({ columns: [t.productId, t.audience] }),
		check('product_price_audience_ck', sql`${t.audience} IN (${inList(AUDIENCES)})`),
		check('product_price_amount_ck', sql`${t.amountCents} >= 0`)
	]
);

/**
 * VAT rates as data with validity dates (instance-wide, French law): a rate change is a new row, so a
 * receipt keeps the rate it was sold at. valid_to is the last day (inclusive), null = still valid.
 * outside_scope: not a supply (share subscriptions, donations): rate 0 and not revenue.
 */
export const vatRate = pgTable(
	'vat_rate',
	{
		id: serial('id').primaryKey(),
		category: text('category').$type<VatCategory>().notNull(),
		context: text('context').$type<VatContext>().notNull(),
		rateBp: integer('rate_bp').notNull(),
		outsideScope: boolean('outside_scope').notNull().default(false),
		validFrom: date('valid_from', { mode: 'string' }).notNull(),
		validTo: date('valid_to', { mode: 'string' })
	},
	(t) => [
		index('vat_rate_category_idx').on(t.category, t.context, t.validFrom),
		check('vat_rate_category_ck', sql`${t.category} IN (${inList(VAT_CATEGORIES)})`),
		check('vat_rate_context_ck', sql`${t.context} IN (${inList(VAT_CONTEXTS)})`),
		check('vat_rate_bp_ck', sql`${t.rateBp} >= 0 AND ${t.rateBp} < 10000`),
		check('vat_rate_validity_ck', sql`${t.validTo} IS NULL OR ${t.validTo} >= ${t.validFrom}`)
	]
);

/**
 * One row per till journal chain (place, series, training): the last number and hash. A sale locks its
 * row (SELECT … FOR UPDATE) so numbers are gap-free and each receipt chains to the one truly before it.
 */
export const journalSequence = pgTable(
	'journal_sequence',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		series: text('series').notNull(),
		training: boolean('training').notNull(),
		lastNumber: integer('last_number').notNull().default(0),
		lastHash: text('last_hash').notNull()
	},
	(t) => [primaryKey({ columns: [t.placeId, t.series, t.training] })]
);

/**
 * A component of a set menu (formule): the menu's price is split across its components in proportion to
 * their own prices (ventilation), each share taxed at the component's rate.
 */
export const productComponent = pgTable(
	'product_component',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		menuId: text('menu_id').notNull().references(() => product.id, { onDelete: 'cascade' }),
		componentId: text('component_id').notNull().references(() => product.id, { onDelete: 'cascade' }),
		quantity: integer('quantity').notNull().default(1),
		position: integer('position').notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.menuId, t.componentId] }),
		check('product_component_self_ck', sql`${t.menuId} <> ${t.componentId}`),
		check('product_component_quantity_ck', sql`${t.quantity} >= 1 AND ${t.quantity} <= 99`)
	]
);

/** When a receipt line is a share of a set menu: the menu it belongs to. */
export interface ReceiptLineMenu {
	productId: string;
	label: string;
}

/** A sale line as recorded on a receipt (amounts in cents, VAT included unless said). */
export interface ReceiptLine {
	productId: string;
	label: string;
	activity: Activity;
	quantity: number;
	unitPriceCents: number;
	context: SaleContext;
	rateBp: number;
	outsideScope: boolean;
	totalCents: number;
	htCents: number;
	vatCents: number;
	/** Set when this line is a component's share of a set menu (one line per component). */
	menu?: ReceiptLineMenu;
	/** Set on prepaid credit sold (a voucher: a debt to the buyer, VAT due when it is spent, never revenue). */
	voucher?: true;
}

/** Totals of one VAT rate on a receipt. */
export interface RateTotal {
	rateBp: number;
	outsideScope: boolean;
	htCents: number;
	vatCents: number;
	ttcCents: number;
}

export interface ReceiptPayment {
	method: PaymentMethod;
	amountCents: number;
}

/**
 * The till journal (receipts to individuals). Append-only: triggers refuse UPDATE, DELETE and TRUNCATE
 * (drizzle/0004); each row carries the SHA-256 of the previous one of its chain. No personal data:
 * operator_ref is a user id.
 */
export const receipt = pgTable(
	'receipt',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id),
		series: text('series').notNull().default('main'),
		number: integer('number').notNull(),
		training: boolean('training').notNull().default(false),
		kind: text('kind').$type<ReceiptKind>().notNull().default('sale'),
		/** For a correction: the receipt it cancels. */
		correctsId: text('corrects_id'),
		issuedAt: timestamp('issued_at', { withTimezone: true, precision: 3 }).notNull(),
		till: text('till').notNull().default('1'),
		operatorRef: text('operator_ref'),
		lines: jsonb('lines').$type<ReceiptLine[]>().notNull(),
		totals: jsonb('totals').$type<RateTotal[]>().notNull(),
		payments: jsonb('payments').$type<ReceiptPayment[]>().notNull(),
		totalCents: integer('total_cents').notNull(),
		previousHash: text('previous_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		// why: the last line of defence of gap-free numbering: two sales can never share a number.
		uniqueIndex('receipt_number_uq').on(t.placeId, t.series, t.training, t.number),
		index('receipt_place_issued_idx').on(t.placeId, t.issuedAt),
		check('receipt_kind_ck', sql`${t.kind} IN (${inList(RECEIPT_KINDS)})`),
		check('receipt_number_ck', sql`${t.number} >= 1`),
		check('receipt_correction_ck', sql`(${t.kind} = 'correction') = (${t.correctsId} IS NOT NULL)`)
	]
);

/** Totals of one payment method over a period. */
export interface MethodTotal {
	method: PaymentMethod;
	amountCents: number;
}

export const CLOSURE_KINDS = ['day', 'month', 'year'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

/**
 * Closures (Z reports): the period's totals per VAT rate and per payment method over the real receipts
 * (training ones never count), and the perpetual grand total since the first closure. Chained like
 * receipts (hash of the previous closure + canonical JSON), gap-free numbers per place and kind, and
 * append-only (triggers, drizzle/0005).
 */
export const closure = pgTable(
	'closure',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id),
		kind: text('kind').$type<ClosureKind>().notNull(),
		number: integer('number').notNull(),
		/** First and last day covered (YYYY-MM-DD in the place's zone). */
		periodStart: date('period_start', { mode: 'string' }).notNull(),
		periodEnd: date('period_end', { mode: 'string' }).notNull(),
		closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }).notNull(),
		operatorRef: text('operator_ref'),
		receiptCount: integer('receipt_count').notNull(),
		/** Numbers of the first and last receipt covered (main series), null when none. */
		firstReceiptNumber: integer('first_receipt_number'),
		lastReceiptNumber: integer('last_receipt_number'),
		totals: jsonb('totals').$type<RateTotal[]>().notNull(),
		payments: jsonb('payments').$type<MethodTotal[]>().notNull(),
		totalCents: integer('total_cents').notNull(),
		/** Sum of the totals of every closure of this kind up to this one. */
		perpetualTotalCents: bigint('perpetual_total_cents', { mode: 'number' }).notNull(),
		previousHash: text('previous_hash').notNull(),
		hash: text('hash').notNull()
	},
	(t) => [
		// why: gap-free numbering per kind, even when two people close at once (the second insert conflicts).
		uniqueIndex('closure_number_uq').on(t.placeId, t.kind, t.number),
		// why: one closure per month and per year. A day may be closed twice (the till closes at the end of
		// service; sales made later that evening are closed again, see docs/decisions/007), so days are not in it.
		uniqueIndex('closure_period_uq').on(t.placeId, t.kind, t.periodStart).where(sql`${t.kind} <> 'day'`),
		index('closure_place_kind_end_idx').on(t.placeId, t.kind, t.periodEnd),
		check('closure_kind_ck', sql`${t.kind} IN (${inList(CLOSURE_KINDS)})`),
		check('closure_period_ck', sql`${t.periodEnd} >= ${t.periodStart}`),
		// why: a month closure is exactly one calendar month, a year closure one calendar year.
		check(
			'closure_calendar_ck',
			sql`${t.kind} = 'day' OR (${t.kind} = 'month' AND extract(day FROM ${t.periodStart}) = 1 AND ${t.periodEnd} = (${t.periodStart} + interval '1 month' - interval '1 day')::date) OR (${t.kind} = 'year' AND to_char(${t.periodStart}, 'MM-DD') = '01-01' AND ${t.periodEnd} = (${t.periodStart} + interval '1 year' - interval '1 day')::date)`
		)
	]
);
