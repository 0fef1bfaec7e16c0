import { pgTable, text, timestamp, boolean, bigserial, jsonb, index, integer } from 'drizzle-orm/pg-core';

// why: better-auth owns these four tables' shape (user, session, account, verification); column names are
// snake_case, field names camelCase, as its drizzle adapter expects.
export const user = pgTable('user', {
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	email: text('email').notNull().unique(),
	emailVerified: boolean('email_verified').notNull().default(false),
	image: text('image'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	locale: text('locale').notNull().default('fr'),
	isOperator: boolean('is_operator').notNull().default(false),
	emailPrefs: jsonb('email_prefs').$type<{ news: boolean; reminders: boolean }>().notNull().default({ news: false, reminders: true }),
	/** Set when the person erased their account: personal data is gone, the id stays as a pseudonym. */
	deletedAt: timestamp('deleted_at', { withTimezone: true })
});

export const session = pgTable('session', {
	id: text('id').primaryKey(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	token: text('token').notNull().unique(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
	ipAddress: text('ip_address'),
	userAgent: text('user_agent'),
	userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' })
}, (t) => [index('session_user_idx').on(t.userId)]);

export const account = pgTable('account', {
	id: text('id').primaryKey(),
	accountId: text('account_id').notNull(),
	providerId: text('provider_id').notNull(),
	userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
	accessToken: text('access_token'),
	refreshToken: text('refresh_token'),
	idToken: text('id_token'),
	accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
	refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
	scope: text('scope'),
	password: text('password'),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('account_user_idx').on(t.userId)]);

export const verification = pgTable('verification', {
	id: text('id').primaryKey(),
	identifier: text('identifier').notNull(),
	value: text('value').notNull(),
	expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('verification_identifier_idx').on(t.identifier)]);

/** Personal API tokens: only a SHA-256 of the token is stored; the token is shown once. */
export const apiToken = pgTable('api_token', {
	id: text('id').primaryKey(),
	userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
	name: text('name').notNull(),
	tokenHash: text('token_hash').notNull().unique(),
	prefix: text('prefix').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
	revokedAt: timestamp('revoked_at', { withTimezone: true })
}, (t) => [index('api_token_user_idx').on(t.userId)]);

/** Consent records (GDPR): one row per decision, never updated, the latest per purpose wins. */
export const consent = pgTable('consent', {
	id: bigserial('id', { mode: 'number' }).primaryKey(),
	userId: text('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
	purpose: text('purpose').notNull(),
	granted: boolean('granted').notNull(),
	version: text('version').notNull().default('1'),
	at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
}, (t) => [index('consent_user_idx').on(t.userId, t.purpose)]);

/** Fixed-window counters for sign-in rate limiting (per IP and per account). */
export const rateLimit = pgTable('rate_limit', {
	key: text('key').primaryKey(),
	count: integer('count').notNull(),
	windowStart: timestamp('window_start', { withTimezone: true }).notNull()
});

