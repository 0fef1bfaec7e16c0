import { pgTable, text, timestamp, boolean, bigserial, integer, jsonb, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { user } from '../people/schema';

export type OpeningHours = Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', Array<{ from: string; to: string }>>;

/** The tenant. Every domain row of every module carries place_id. */
export const place = pgTable('place', {
	id: text('id').primaryKey(),
	slug: text('slug').notNull().unique(),
	name: text('name').notNull(),
	address: text('address').notNull().default(''),
	timezone: text('timezone').notNull().default('Europe/Paris'),
	legalForm: text('legal_form').notNull().default('association'),
	siret: text('siret'),
	vatNumber: text('vat_number'),
	logoUrl: text('logo_url'),
	languages: jsonb('languages').$type<string[]>().notNull().default(['fr', 'en']),
	enabledModules: jsonb('enabled_modules').$type<string[]>().notNull().default([]),
	description: text('description').notNull().default(''),
	isDemo: boolean('is_demo').notNull().default(false),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** A role of a place: a named set of permissions. Built-in roles are seeded per place; admins add custom ones. */
export const role = pgTable('role', {
	id: text('id').primaryKey(),
	placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
	key: text('key').notNull(),
	name: text('name').notNull(),
	permissions: jsonb('permissions').$type<string[]>().notNull().default([]),
	builtin: boolean('builtin').notNull().default(false),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [uniqueIndex('role_place_key_uq').on(t.placeId, t.key)]);

/** Membership of a person in a place, with one role. */
export const placeMember = pgTable('place_member', {
	placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
	userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
	roleId: text('role_id').notNull().references(() => role.id),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [primaryKey({ columns: [t.placeId, t.userId] }), index('place_member_user_idx').on(t.userId)]);

export const invitation = pgTable('invitation', {
	id: text('id').primaryKey(),
	placeId: text('place_id').notNull().references(() => place.id, { onDelete: 'cascade' }),
	email: text('email').notNull(),
	roleId: text('role_id').notNull().references(() => role.id),
	tokenHash: text('token_hash').notNull().unique(),
	invitedBy: text('invited_by').references(() => user.id, { onDelete: 'set null' }),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	acceptedAt: timestamp('accepted_at', { withTimezone: true }),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('invitation_place_idx').on(t.placeId)]);

/** Audit entries, written in the same transaction as the change they describe. Append-only. */
export const auditLog = pgTable('audit_log', {
	id: bigserial('id', { mode: 'number' }).primaryKey(),
	placeId: text('place_id').references(() => place.id, { onDelete: 'cascade' }),
	actorId: text('actor_id'),
	action: text('action').notNull(),
	targetType: text('target_type'),
	targetId: text('target_id'),
	data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
	at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('audit_place_at_idx').on(t.placeId, t.at)]);

/** Every mail is written here first; with SMTP configured it is sent and marked, otherwise admins read it here. */
/** A file attached to an outbox mail. */
export interface MailAttachment {
	filename: string;
	contentType: string;
	contentBase64: string;
}

export const mailOutbox = pgTable('mail_outbox', {
	id: bigserial('id', { mode: 'number' }).primaryKey(),
	placeId: text('place_id').references(() => place.id, { onDelete: 'cascade' }),
	to: text('to_address').notNull(),
	subject: text('subject').notNull(),
	text: text('text_body').notNull(),
	html: text('html_body'),
	/** Files sent with the mail (a receipt PDF, a booking's .ics), base64 in the row so the outbox is self-contained. */
	attachments: jsonb('attachments').$type<MailAttachment[]>().notNull().default([]),
	template: text('template').notNull(),
	/** pending -> sending (claimed by a flush at claimed_at) -> sent or failed. */
	status: text('status').notNull().default('pending'),
	error: text('error'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	claimedAt: timestamp('claimed_at', { withTimezone: true }),
	/** Sending attempts that failed so far; a failed attempt is tried again at retry_at until MAX_MAIL_ATTEMPTS. */
	attempts: integer('attempts').notNull().default(0),
	retryAt: timestamp('retry_at', { withTimezone: true }),
	sentAt: timestamp('sent_at', { withTimezone: true })
}, (t) => [index('mail_outbox_place_idx').on(t.placeId, t.createdAt), index('mail_outbox_due_idx').on(t.id).where(sql`status IN ('pending', 'sending')`)]);

/** Instance-wide key/value settings (generated secret, schema facts). */
export const instanceSetting = pgTable('instance_setting', {
	key: text('key').primaryKey(),
	value: text('value').notNull()
});
