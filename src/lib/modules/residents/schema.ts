import { pgTable, text, timestamp, boolean, primaryKey, index } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';
import { user } from '../people/schema';

/**
 * The public face of a resident craftsperson in one place (residents are people with the `resident` role).
 * Later the residents module adds residencies, workspaces and recurring fees.
 */
export const residentProfile = pgTable(
	'resident_profile',
	{
		userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		/** The trade, as the person says it: "Ébéniste", "Céramiste". */
		craft: text('craft').notNull().default(''),
		bio: text('bio').notNull().default(''),
		website: text('website'),
		/** Listed in the public residents directory (the person's choice). */
		published: boolean('published').notNull().default(false),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	// why: place first, so the directory of a place reads the key in order; the user index serves "my profiles" and erasure.
	(t) => [primaryKey({ columns: [t.placeId, t.userId] }), index('resident_profile_user_idx').on(t.userId)]
);
