import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, boolean, integer, index, uniqueIndex, check, primaryKey } from 'drizzle-orm/pg-core';
import { place } from '../places/schema';
import { user } from '../people/schema';
import { resource } from '../booking/schema';

/** A kind of training ("Prise en main de la découpeuse laser") and the resources it qualifies for. */
export const trainingType = pgTable(
	'training_type',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		description: text('description').notNull().default(''),
		durationMinutes: integer('duration_minutes').notNull().default(120),
		/** Price per person (TTC, cents); 0 = free. Sold through the checkout when not free. */
		priceCents: integer('price_cents').notNull().default(0),
		active: boolean('active').notNull().default(true),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('training_type_place_idx').on(t.placeId),
		check('training_type_duration_ck', sql`${t.durationMinutes} BETWEEN 15 AND 1440`),
		check('training_type_price_ck', sql`${t.priceCents} >= 0`)
	]
);

/** Which resources a training type qualifies its attendees for. */
export const trainingTypeResource = pgTable(
	'training_type_resource',
	{
		trainingTypeId: text('training_type_id')
			.notNull()
			.references(() => trainingType.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.trainingTypeId, t.resourceId] }), index('training_type_resource_resource_idx').on(t.resourceId)]
);

export const TRAINING_SESSION_STATUSES = ['scheduled', 'cancelled', 'done'] as const;
export type TrainingSessionStatus = (typeof TRAINING_SESSION_STATUSES)[number];

/**
 * One session of a training: date, trainer, capacity. registered_count is kept by a trigger on
 * training_registration (live rows: status other than cancelled; migration 0018), written by nothing else, and
 * checked against capacity by the database (never more people than seats, whatever the concurrency or the writer).
 */
export const trainingSession = pgTable(
	'training_session',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		trainingTypeId: text('training_type_id')
			.notNull()
			.references(() => trainingType.id, { onDelete: 'cascade' }),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		trainerId: text('trainer_id').references(() => user.id, { onDelete: 'set null' }),
		capacity: integer('capacity').notNull(),
		registeredCount: integer('registered_count').notNull().default(0),
		status: text('status').$type<TrainingSessionStatus>().notNull().default('scheduled'),
		note: text('note').notNull().default(''),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('training_session_place_starts_idx').on(t.placeId, t.startsAt),
		check('training_session_range_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('training_session_capacity_ck', sql`${t.capacity} BETWEEN 1 AND 500 AND ${t.registeredCount} BETWEEN 0 AND ${t.capacity}`),
		check('training_session_status_ck', sql`${t.status} IN ('scheduled', 'cancelled', 'done')`)
	]
);

export const REGISTRATION_STATUSES = ['registered', 'cancelled', 'attended', 'absent'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A person registered to a training session, then marked attended (qualified) or absent by the trainer. */
export const trainingRegistration = pgTable(
	'training_registration',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		sessionId: text('session_id')
			.notNull()
			.references(() => trainingSession.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		status: text('status').$type<RegistrationStatus>().notNull().default('registered'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		// why: one live registration per person and session, even on a double click.
		uniqueIndex('training_registration_person_uq').on(t.sessionId, t.userId).where(sql`${t.status} <> 'cancelled'`),
		index('training_registration_user_idx').on(t.userId),
		check('training_registration_status_ck', sql`${t.status} IN ('registered', 'cancelled', 'attended', 'absent')`)
	]
);

/**
 * A person's qualification (habilitation) for one resource: granted by a trainer or someone with trainings.grant,
 * optionally expiring, revoked with a reason. At most one live (not revoked) row per person and resource; a
 * renewal updates expires_at (audited).
 */
export const qualification = pgTable(
	'qualification',
	{
		id: text('id').primaryKey(),
		placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		resourceId: text('resource_id')
			.notNull()
			.references(() => resource.id, { onDelete: 'cascade' }),
		grantedBy: text('granted_by').references(() => user.id, { onDelete: 'set null' }),
		grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
		/** Null = does not expire. */
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		/** The training session it came from, if any. */
		sessionId: text('session_id').references(() => trainingSession.id, { onDelete: 'set null' }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		revokedBy: text('revoked_by').references(() => user.id, { onDelete: 'set null' }),
		revokeReason: text('revoke_reason')
	},
	(t) => [
		uniqueIndex('qualification_live_uq').on(t.userId, t.resourceId).where(sql`${t.revokedAt} IS NULL`),
		index('qualification_place_resource_idx').on(t.placeId, t.resourceId),
		check('qualification_revoked_ck', sql`(${t.revokedAt} IS NULL) = (${t.revokeReason} IS NULL)`),
		check('qualification_expiry_ck', sql`${t.expiresAt} IS NULL OR ${t.expiresAt} > ${t.grantedAt}`)
	]
);
