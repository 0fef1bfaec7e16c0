import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, integer, date, index, uniqueIndex, check, primaryKey, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';
import { user } from '../people/schema';
import { product } from '../money/schema';
import { checkoutOrder } from '../money/checkout-schema';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const RESOURCE_KINDS = ['machine', 'room', 'bench', 'space'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * Something of the place that people use or book: a machine (laser cutter), a room (the machine space),
 * a bench of the shared workshop, a space (the café-cantine). A room may contain machines (parent_id).
 * Later modules add opening rules, prices and bookings on top of this row.
 */
export const resource = pgTable(
	'resource',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<ResourceKind>().notNull(),
		name: text('name').notNull(),
		/** URL name, unique inside the place. */
		slug: text('slug').notNull(),
		description: text('description').notNull().default(''),
		/** Shown before use and booking (protective glasses, extraction on...). */
		safetyNotes: text('safety_notes').notNull().default(''),
		/** The room that contains this resource (a machine in the machine space); null at top level. */
		parentId: text('parent_id').references((): AnyPgColumn => resource.id, { onDelete: 'set null' }),
		/** Only people holding the qualification (habilitation) for it may use or book it. */
		requiresQualification: boolean('requires_qualification').notNull().default(false),
		/** Inactive resources are hidden from the public and cannot be booked (kept for history). */
		active: boolean('active').notNull().default(true),
		/** Whether members can book it at all (the café space is not booked by the hour). */
		bookable: boolean('bookable').notNull().default(false),
		/** Path of the photo under the place's uploads, or an https URL; '' = none. */
		photoUrl: text('photo_url').notNull().default(''),
		/** Free text: "bois, MDF, acrylique (PMMA), carton ; jamais de PVC". */
		allowedMaterials: text('allowed_materials').notNull().default(''),
		/** The catalogue product whose prices per audience are the price of one hour (#3, VAT machine_time/room). */
		productId: text('product_id').references(() => product.id, { onDelete: 'set null' }),
		/** Bookings start and end on this step (minutes, from midnight local time). */
		slotMinutes: integer('slot_minutes').notNull().default(30),
		minMinutes: integer('min_minutes').notNull().default(30),
		maxMinutes: integer('max_minutes').notNull().default(240),
		/** How far ahead a member may book (days). */
		maxAdvanceDays: integer('max_advance_days').notNull().default(30),
		/** A member may cancel or move alone until this many hours before the start; after that, staff decide. */
		cancelHours: integer('cancel_hours').notNull().default(24),
		/** Members may book only inside open-access sessions (a referent present), not all opening hours. */
		openAccessOnly: boolean('open_access_only').notNull().default(false),
		/** A qualification for this resource expires after this many months; null = never. */
		qualificationMonths: integer('qualification_months'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// why: two admins creating "laser" at the same moment get one row and a slug_taken, not two pages at one URL.
		uniqueIndex('resource_place_slug_uq').on(t.placeId, t.slug),
		index('resource_parent_idx').on(t.parentId),
		check('resource_kind_ck', sql`${t.kind} IN ('machine', 'room', 'bench', 'space')`),
		check('resource_not_own_parent_ck', sql`${t.parentId} IS NULL OR ${t.parentId} <> ${t.id}`),
		check('resource_durations_ck', sql`${t.slotMinutes} BETWEEN 5 AND 1440 AND ${t.minMinutes} >= ${t.slotMinutes} AND ${t.maxMinutes} >= ${t.minMinutes} AND ${t.maxMinutes} <= 10080`),
		check('resource_advance_ck', sql`${t.maxAdvanceDays} BETWEEN 0 AND 730 AND ${t.cancelHours} BETWEEN 0 AND 720`),
		check('resource_qualification_months_ck', sql`${t.qualificationMonths} IS NULL OR ${t.qualificationMonths} BETWEEN 1 AND 120`)
	]
);

// ——— When booking is possible ———

/**
 * Weekly opening pattern of a place (resource_id null) or of one resource (its own hours replace the place's).
 * Times are minutes from local midnight in the place's time zone; a day may have several ranges (9–12, 14–19).
 */
export const openingRule = pgTable(
	'opening_rule',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id').references(() => resource.id, { onDelete: 'cascade' }),
		/** ISO weekday: 1 = Monday … 7 = Sunday. */
		weekday: integer('weekday').notNull(),
		opensMin: integer('opens_min').notNull(),
		closesMin: integer('closes_min').notNull()
	},
	(t) => [
		index('opening_rule_place_idx').on(t.placeId, t.resourceId),
		check('opening_rule_weekday_ck', sql`${t.weekday} BETWEEN 1 AND 7`),
		check('opening_rule_range_ck', sql`${t.opensMin} >= 0 AND ${t.closesMin} <= 1440 AND ${t.closesMin} > ${t.opensMin}`)
	]
);

/**
 * A date that departs from the weekly pattern (local date): closed all day (bank holiday, summer closure) or open
 * on other hours (late opening). Several rows on one date = several ranges. resource_id null = the whole place.
 */
export const openingException = pgTable(
	'opening_exception',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id').references(() => resource.id, { onDelete: 'cascade' }),
		date: date('date', { mode: 'string' }).notNull(),
		closed: boolean('closed').notNull(),
		/** Null when closed. */
		opensMin: integer('opens_min'),
		closesMin: integer('closes_min'),
		reason: text('reason').notNull().default('')
	},
	(t) => [
		index('opening_exception_place_date_idx').on(t.placeId, t.date),
		check('opening_exception_range_ck', sql`(${t.closed} AND ${t.opensMin} IS NULL AND ${t.closesMin} IS NULL) OR (NOT ${t.closed} AND ${t.opensMin} >= 0 AND ${t.closesMin} <= 1440 AND ${t.closesMin} > ${t.opensMin})`)
	]
);

/** A time window with a referent present (open access): resources with open_access_only are bookable only inside one. */
export const openAccessSession = pgTable(
	'open_access_session',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		/** The room (or machine) it covers; null = every resource of the place. A room's session covers its machines. */
		resourceId: text('resource_id').references(() => resource.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		referentId: text('referent_id').references(() => user.id, { onDelete: 'set null' }),
		note: text('note').notNull().default('')
	},
	(t) => [index('open_access_session_place_idx').on(t.placeId, t.startsAt), check('open_access_session_range_ck', sql`${t.endsAt} > ${t.startsAt}`)]
);

/** Place-wide booking policy (one row per place; defaults when absent). */
export const bookingPolicy = pgTable(
	'booking_policy',
	{
		placeId: text('place_id')
			.primaryKey()
			.references(() => place.id, { onDelete: 'cascade' }),
		/** What a member gets back when cancelling in time a booking paid online or from the wallet: wallet credit or a refund. */
		cancelRefund: text('cancel_refund').$type<'credit' | 'refund'>().notNull().default('credit'),
		/** Hours a waiting person has to take a freed slot before it goes to the next one. */
		waitlistOfferHours: integer('waitlist_offer_hours').notNull().default(12)
	},
	(t) => [check('booking_policy_refund_ck', sql`${t.cancelRefund} IN ('credit', 'refund')`), check('booking_policy_offer_ck', sql`${t.waitlistOfferHours} BETWEEN 1 AND 168`)]
);

// ——— Bookings ———

export const BOOKING_KINDS = ['booking', 'block'] as const;
export type BookingKind = (typeof BOOKING_KINDS)[number];
/** pending: held while its order is unpaid; confirmed; cancelled (slots freed); final states never come back. */
export const BOOKING_STATUSES = ['pending', 'confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/**
 * A person's booking of a resource (kind 'booking'), or a time staff block (kind 'block', no person). What it
 * occupies is in booking_slot, where the database refuses overlaps.
 */
export const booking = pgTable(
	'booking',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<BookingKind>().notNull().default('booking'),
		/** Who uses it; null for a block (or after the account was erased). */
		userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
		status: text('status').$type<BookingStatus>().notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		/** Price (TTC, cents) computed at booking time for the person's audience; 0 for blocks. */
		priceCents: integer('price_cents').notNull().default(0),
		/** Minutes taken from the person's hour packs (wallet, unit minutes) for this booking. */
		walletMinutes: integer('wallet_minutes').notNull().default(0),
		/** The checkout order paying it (pending until paid); null when free, covered by hours, or a block. */
		orderId: text('order_id').references(() => checkoutOrder.id, { onDelete: 'set null' }),
		note: text('note').notNull().default(''),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
		cancelledBy: text('cancelled_by').references(() => user.id, { onDelete: 'set null' }),
		/** 'member', 'staff', 'maintenance', 'unpaid', 'rescheduled'. */
		cancelReason: text('cancel_reason'),
		/** The booking this one replaced (reschedule). */
		replacesId: text('replaces_id').references((): AnyPgColumn => booking.id, { onDelete: 'set null' }),
		checkedInAt: timestamp('checked_in_at', { withTimezone: true }),
		checkedOutAt: timestamp('checked_out_at', { withTimezone: true })
	},
	(t) => [
		index('booking_place_starts_idx').on(t.placeId, t.startsAt),
		index('booking_resource_starts_idx').on(t.resourceId, t.startsAt),
		index('booking_user_idx').on(t.userId, t.startsAt),
		check('booking_kind_ck', sql`${t.kind} IN (${inList(BOOKING_KINDS)})`),
		check('booking_status_ck', sql`${t.status} IN (${inList(BOOKING_STATUSES)})`),
		check('booking_range_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('booking_cancelled_ck', sql`(${t.status} = 'cancelled') = (${t.cancelledAt} IS NOT NULL)`),
		check('booking_amounts_ck', sql`${t.priceCents} >= 0 AND ${t.walletMinutes} >= 0`),
		check('booking_checkout_ck', sql`${t.checkedOutAt} IS NULL OR (${t.checkedInAt} IS NOT NULL AND ${t.checkedOutAt} >= ${t.checkedInAt})`)
	]
);

/**
 * What a live booking occupies: one row for the booked resource and, when it is a room, one per machine it
 * contains (so booking the room blocks its machines, and a machine booking blocks the room). The exclusion
 * constraint booking_slot_no_overlap (custom migration) refuses two rows of one resource whose ranges overlap;
 * rows are deleted when their booking is cancelled.
 */
export const bookingSlot = pgTable(
	'booking_slot',
	{
		bookingId: text('booking_id')
			.notNull()
			.references(() => booking.id, { onDelete: 'cascade' }),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull()
	},
	(t) => [primaryKey({ columns: [t.bookingId, t.resourceId] }), check('booking_slot_range_ck', sql`${t.endsAt} > ${t.startsAt}`)]
);

export const WAITLIST_STATUSES = ['waiting', 'offered', 'taken', 'expired', 'withdrawn'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/** A person waiting for a taken slot; when it frees, the first waiting person is offered it by e-mail. */
export const bookingWaitlist = pgTable(
	'booking_waitlist',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		status: text('status').$type<WaitlistStatus>().notNull().default('waiting'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		offeredAt: timestamp('offered_at', { withTimezone: true }),
		offerExpiresAt: timestamp('offer_expires_at', { withTimezone: true })
	},
	(t) => [
		index('booking_waitlist_slot_idx').on(t.resourceId, t.startsAt, t.createdAt),
		// why: one place in the queue per person and slot, even when they press the button twice at once.
		uniqueIndex('booking_waitlist_person_uq').on(t.resourceId, t.userId, t.startsAt, t.endsAt).where(sql`${t.status} IN ('waiting', 'offered')`),
		check('booking_waitlist_status_ck', sql`${t.status} IN (${inList(WAITLIST_STATUSES)})`),
		check('booking_waitlist_range_ck', sql`${t.endsAt} > ${t.startsAt}`)
	]
);

// ——— Maintenance and usage ———

/** A period a machine is out of service (maintenance, breakdown); bookings inside it are cancelled with a credit. */
export const resourceOutage = pgTable(
	'resource_outage',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		reason: text('reason').notNull(),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('resource_outage_resource_idx').on(t.resourceId, t.startsAt), check('resource_outage_range_ck', sql`${t.endsAt} > ${t.startsAt}`)]
);

export const MAINTENANCE_KINDS = ['maintenance', 'incident', 'note'] as const;
export type MaintenanceKind = (typeof MAINTENANCE_KINDS)[number];

/** The maintenance log of a machine: services, incidents reported at check-out, notes (append-only). */
export const maintenanceLog = pgTable(
	'maintenance_log',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<MaintenanceKind>().notNull(),
		body: text('body').notNull(),
		bookingId: text('booking_id').references(() => booking.id, { onDelete: 'set null' }),
		createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('maintenance_log_resource_idx').on(t.resourceId, t.createdAt), check('maintenance_log_kind_ck', sql`${t.kind} IN (${inList(MAINTENANCE_KINDS)})`)]
);

/** Materials used during a booking (declared at check-out); priced ones are billed through the checkout. */
export const bookingMaterial = pgTable(
	'booking_material',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		bookingId: text('booking_id')
			.notNull()
			.references(() => booking.id, { onDelete: 'cascade' }),
		/** Catalogue product when the material is sold (plaque de contreplaqué 3 mm); null = free text only. */
		productId: text('product_id').references(() => product.id, { onDelete: 'set null' }),
		label: text('label').notNull(),
		quantity: integer('quantity').notNull(),
		orderId: text('order_id').references(() => checkoutOrder.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('booking_material_booking_idx').on(t.bookingId), check('booking_material_quantity_ck', sql`${t.quantity} BETWEEN 1 AND 9999`)]
);

/** Private calendar feed of a person (ICS of their bookings): only the SHA-256 of the token is kept. */
export const calendarToken = pgTable(
	'calendar_token',
	{
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		tokenHash: text('token_hash').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.placeId, t.userId] }), uniqueIndex('calendar_token_hash_uq').on(t.tokenHash)]
);
