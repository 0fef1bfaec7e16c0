import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, index, check } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';

export const PARTNER_KINDS = ['public', 'network', 'association', 'company', 'farm', 'festival', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/**
 * An actor of the territory the place works with: the town, networks of tiers-lieux, associations,
 * a farm, a festival... Later the territory module adds collaborations, campaigns and registers.
 */
export const partner = pgTable(
	'partner',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		kind: text('kind').$type<PartnerKind>().notNull().default('other'),
		description: text('description').notNull().default(''),
		website: text('website'),
		contactEmail: text('contact_email'),
		/** Shown in the public partners directory. */
		published: boolean('published').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('partner_place_idx').on(t.placeId, t.name),
		check('partner_kind_ck', sql`${t.kind} IN ('public', 'network', 'association', 'company', 'farm', 'festival', 'other')`)
	]
);
