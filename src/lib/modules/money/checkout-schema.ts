// Tables of the shared checkout: orders and their lines, processed payment-provider events, wallets.
// The rules and the module contract are in checkout.server.ts and docs/decisions/009-checkout.md.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, integer, boolean, jsonb, serial, index, uniqueIndex, check, primaryKey, bigint } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';
import { user } from '../people/schema';
import { ACTIVITIES, SALE_CONTEXTS, VAT_CATEGORIES, type Activity, type SaleContext, type VatCategory } from './schema';

export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** How an order was (or is being) paid. */
export const ORDER_PROVIDERS = ['stripe', 'helloasso', 'onsite', 'wallet'] as const;
export type OrderProvider = (typeof ORDER_PROVIDERS)[number];
/**
 * VAT category of an order line: the catalogue's, plus 'voucher' — prepaid credit in euros is a multi-purpose
 * voucher (CGI art. 256 ter): outside the scope of VAT when sold, VAT is due when it is spent.
 */
export const ORDER_VAT_CATEGORIES = [...VAT_CATEGORIES, 'voucher'] as const;
export type OrderVatCategory = VatCategory | 'voucher';
export const WALLET_UNITS = ['cents', 'minutes'] as const;
export type WalletUnit = (typeof WALLET_UNITS)[number];
export const WALLET_ENTRY_KINDS = ['topup', 'hour_pack', 'refund_credit', 'contribution', 'spend', 'adjustment'] as const;
export type WalletEntryKind = (typeof WALLET_ENTRY_KINDS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/**
 * One checkout: what someone buys from a place, whatever the module (café, machine time, workshop, credit…).
 * Status moves once from pending to a final state; a trigger refuses any other change (drizzle custom
 * migration "checkout_custom").
 */
export const checkoutOrder = pgTable(
	'checkout_order',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		/** Who buys (null: a visitor paying on site). */
		buyerId: text('buyer_id').references(() => user.id, { onDelete: 'set null' }),
		status: text('status').$type<OrderStatus>().notNull().default('pending'),
		totalCents: integer('total_cents').notNull(),
		currency: text('currency').notNull().default('EUR'),
		expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
		/** Provider of the payment in progress or done. */
		provider: text('provider').$type<OrderProvider>(),
		/** The provider's id of the checkout (Stripe session id, HelloAsso checkout intent id). */
		providerRef: text('provider_ref'),
		/** Payment method written on the receipt (cash, card, online, wallet…). */
		paymentMethod: text('payment_method'),
		paidAt: timestamp('paid_at', { withTimezone: true, precision: 3 }),
		// why: no foreign key: the till journal must stay TRUNCATE-proof by its own trigger (an FK makes
		// PostgreSQL refuse TRUNCATE before the trigger speaks); the receipt is found by id within the place.
		receiptId: text('receipt_id'),
		/** Why it ended without payment (failed, expired, cancelled: a short code). */
		endReason: text('end_reason'),
		createdBy: text('created_by'),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [
		index('checkout_order_place_status_idx').on(t.placeId, t.status, t.createdAt),
		index('checkout_order_buyer_idx').on(t.placeId, t.buyerId, t.createdAt),
		index('checkout_order_expiry_idx').on(t.status, t.expiresAt),
		// why: one order per provider checkout, so a webhook can never pay two orders.
		uniqueIndex('checkout_order_provider_ref_uq').on(t.provider, t.providerRef),
		check('checkout_order_status_ck', sql`${t.status} IN (${inList(ORDER_STATUSES)})`),
		check('checkout_order_provider_ck', sql`${t.provider} IS NULL OR ${t.provider} IN (${inList(ORDER_PROVIDERS)})`),
		check('checkout_order_total_ck', sql`${t.totalCents} >= 0 AND ${t.totalCents} <= 100000000`),
		check('checkout_order_currency_ck', sql`${t.currency} = 'EUR'`),
		// why: "paid" and "has a payment date and a receipt" are the same fact.
		check('checkout_order_paid_ck', sql`(${t.status} = 'paid') = (${t.paidAt} IS NOT NULL AND ${t.receiptId} IS NOT NULL)`)
	]
);

/** A line of an order: one thing a module sells, priced VAT included when the order was made. */
export const checkoutOrderLine = pgTable(
	'checkout_order_line',
	{
		id: serial('id').primaryKey(),
		orderId: text('order_id').notNull().references(() => checkoutOrder.id, { onDelete: 'cascade' }),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		position: integer('position').notNull(),
		/** Registered sellable kind ('product', 'wallet_credit', later 'booking', 'registration'…). */
		kind: text('kind').notNull(),
		/** What the module sells (a product id, a pack id, a booking id…). */
		refId: text('ref_id'),
		/** Catalogue product, when the line comes from the catalogue. */
		productId: text('product_id'),
		label: text('label').notNull(),
		activity: text('activity').$type<Activity>().notNull(),
		quantity: integer('quantity').notNull(),
		unitPriceCents: integer('unit_price_cents').notNull(),
		vatCategory: text('vat_category').$type<OrderVatCategory>().notNull(),
		context: text('context').$type<SaleContext>().notNull().default('on_site'),
		/** Module data (e.g. the minutes an hour pack credits). */
		details: jsonb('details').$type<Record<string, unknown>>().notNull().default({})
	},
	(t) => [
		uniqueIndex('checkout_order_line_pos_uq').on(t.orderId, t.position),
		index('checkout_order_line_ref_idx').on(t.kind, t.refId),
		check('checkout_order_line_qty_ck', sql`${t.quantity} >= 1 AND ${t.quantity} <= 999`),
		check('checkout_order_line_price_ck', sql`${t.unitPriceCents} >= 0`),
		check('checkout_order_line_activity_ck', sql`${t.activity} IN (${inList(ACTIVITIES)})`),
		check('checkout_order_line_vat_ck', sql`${t.vatCategory} IN (${inList(ORDER_VAT_CATEGORIES)})`),
		check('checkout_order_line_context_ck', sql`${t.context} IN (${inList(SALE_CONTEXTS)})`)
	]
);

/**
 * Provider events already processed (webhook idempotency): one row per (provider, event id), inserted in
 * the transaction that acts on the event, so a replay or a concurrent delivery finds it and does nothing.
 * Append-only (trigger).
 */
export const paymentEvent = pgTable(
	'payment_event',
	{
		id: serial('id').primaryKey(),
		provider: text('provider').notNull(),
		eventId: text('event_id').notNull(),
		type: text('type').notNull(),
		orderId: text('order_id'),
		outcome: text('outcome').notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [uniqueIndex('payment_event_uq').on(t.provider, t.eventId)]
);

/**
 * Sellable hour packs and credit packs of a place (what the wallet page offers). Credit in euros is a
 * voucher (VAT when spent); minutes are machine time (VAT when sold).
 */
export const walletPack = pgTable(
	'wallet_pack',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		label: text('label').notNull(),
		unit: text('unit').$type<WalletUnit>().notNull(),
		/** What one pack credits: cents or minutes. */
		amount: integer('amount').notNull(),
		priceCents: integer('price_cents').notNull(),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('wallet_pack_place_idx').on(t.placeId),
		check('wallet_pack_unit_ck', sql`${t.unit} IN (${inList(WALLET_UNITS)})`),
		check('wallet_pack_amount_ck', sql`${t.amount} > 0 AND ${t.priceCents} >= 0`)
	]
);

/**
 * A wallet per person, place and unit: its balance is the sum of its entries, kept here by a trigger on
 * wallet_entry and checked >= 0 (the database refuses an overdraft even if the app forgot to lock).
 * user_id is a pseudonymous id without foreign key (the ledger outlives an erased account).
 */
export const wallet = pgTable(
	'wallet',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		userId: text('user_id').notNull(),
		unit: text('unit').$type<WalletUnit>().notNull(),
		balance: bigint('balance', { mode: 'number' }).notNull().default(0)
	},
	(t) => [
		primaryKey({ columns: [t.placeId, t.userId, t.unit] }),
		check('wallet_unit_ck', sql`${t.unit} IN (${inList(WALLET_UNITS)})`),
		check('wallet_balance_ck', sql`${t.balance} >= 0`)
	]
);

/** Every movement of a wallet (append-only ledger; UPDATE/DELETE refused by trigger). */
export const walletEntry = pgTable(
	'wallet_entry',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id),
		userId: text('user_id').notNull(),
		unit: text('unit').$type<WalletUnit>().notNull(),
		/** Signed: credit > 0, spend < 0. */
		amount: integer('amount').notNull(),
		kind: text('kind').$type<WalletEntryKind>().notNull(),
		orderId: text('order_id').references(() => checkoutOrder.id),
		actorId: text('actor_id'),
		note: text('note'),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [
		index('wallet_entry_wallet_idx').on(t.placeId, t.userId, t.unit, t.createdAt),
		check('wallet_entry_unit_ck', sql`${t.unit} IN (${inList(WALLET_UNITS)})`),
		check('wallet_entry_kind_ck', sql`${t.kind} IN (${inList(WALLET_ENTRY_KINDS)})`),
		check('wallet_entry_amount_ck', sql`${t.amount} <> 0`),
		// why: a credit is positive and a spend negative whatever the caller wrote; adjustments go both ways.
		check('wallet_entry_sign_ck', sql`(${t.kind} IN ('topup','hour_pack','refund_credit','contribution') AND ${t.amount} > 0) OR (${t.kind} = 'spend' AND ${t.amount} < 0) OR ${t.kind} = 'adjustment'`)
	]
);
