import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, index, uniqueIndex, check, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

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
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// why: two admins creating "laser" at the same moment get one row and a slug_taken, not two pages at one URL.
		uniqueIndex('resource_place_slug_uq').on(t.placeId, t.slug),
		index('resource_parent_idx').on(t.parentId),
		check('resource_kind_ck', sql`${t.kind} IN ('machine', 'room', 'bench', 'space')`),
		check('resource_not_own_parent_ck', sql`${t.parentId} IS NULL OR ${t.parentId} <> ${t.id}`)
	]
);
