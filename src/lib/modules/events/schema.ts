import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, integer, index, uniqueIndex, check } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';
import { partner } from '../territory/schema';

export const EVENT_KINDS = ['workshop', 'event', 'training', 'market', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/**
 * Something happening at a given time: a workshop, a concert, a training, a market...
 * Later the events module adds registrations, waitlist and check-in on top of this row.
 */
export const event = pgTable(
	'event',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		title: text('title').notNull(),
		/** URL name, unique inside the place. */
		slug: text('slug').notNull(),
		description: text('description').notNull().default(''),
		kind: text('kind').$type<EventKind>().notNull().default('event'),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		/** Where inside (or outside) the place: "Espace machine", "Café-cantine"... */
		locationText: text('location_text').notNull().default(''),
		/** Maximum number of participants; null = no limit. */
		capacity: integer('capacity'),
		/** Price per person in euro cents, VAT included; 0 = free. */
		priceCents: integer('price_cents').notNull().default(0),
		/** The partner that co-organises it (a festival, an association...). */
		partnerId: text('partner_id').references(() => partner.id, { onDelete: 'set null' }),
		/** Shown in the public agenda. */
		published: boolean('published').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// why: two staff members publishing the same title at once get one URL each, never a shared one.
		uniqueIndex('event_place_slug_uq').on(t.placeId, t.slug),
		index('event_place_starts_idx').on(t.placeId, t.startsAt),
		check('event_kind_ck', sql`${t.kind} IN ('workshop', 'event', 'training', 'market', 'other')`),
		check('event_ends_after_start_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('event_capacity_ck', sql`${t.capacity} IS NULL OR ${t.capacity} >= 0`),
		check('event_price_ck', sql`${t.priceCents} >= 0`)
	]
);
