import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { magicLink } from 'better-auth/plugins/magic-link';
import { APIError, createAuthMiddleware } from 'better-auth/api';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user, session, account, verification } from '../db/schema';
import { env } from '../env';
import { isLocale, type Locale } from '../../i18n';
import { queueMail, flushOutbox } from '../mail';
import { isStrongPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './password';
import { limitSignIn } from './rate-limit';
import { isAppError } from '../errors';
import { log } from '../log';

/** Header carrying the client IP as seen by our server (set by hooks.server, never trusted from outside). */
export const CLIENT_IP_HEADER = 'x-lieu-client-ip';

async function recipientOf(db: Db, email: string): Promise<{ locale: Locale; erased: boolean }> {
	const [u] = await db.select({ locale: user.locale, deletedAt: user.deletedAt }).from(user).where(sql`lower(${user.email}) = ${email.toLowerCase()}`).limit(1);
	return { locale: u && isLocale(u.locale) ? u.locale : 'fr', erased: Boolean(u?.deletedAt) };
}

async function sendAuthMail(db: Db, to: string, template: string, url: string, name?: string | null) {
	const r = await recipientOf(db, to);
	// why: an erased account's pseudonymous address must never receive a sign-in link (see people/gdpr.server).
	if (r.erased) return;
	await queueMail(db, { to, locale: r.locale, template, url, name });
	flushOutbox(db).catch((err) => log().warn({ err }, 'outbox flush failed'));
}

const PASSWORD_PATHS = new Set(['/sign-up/email', '/reset-password', '/change-password', '/set-password']);
const SIGN_IN_PATHS = new Set(['/sign-in/email', '/sign-in/magic-link']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Plugin = any;

/** Builds the better-auth instance on our database. `extraPlugins`: the SvelteKit cookie bridge in the app. */
export function createAuth(db: Db, secret: string, extraPlugins: Plugin[] = []) {
	return betterAuth({
		appName: 'Lieu',
		secret,
		baseURL: env().baseUrl,
		trustedOrigins: (request) => (request ? [new URL(request.url).origin, env().baseUrl] : [env().baseUrl]),
		telemetry: { enabled: false },
		database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification } }),
		// why: our own limiter (per IP and per account, stored in the database) replaces better-auth's per-path one.
		rateLimit: { enabled: false },
		session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
		user: {
			additionalFields: {
				locale: { type: 'string', defaultValue: 'fr', input: true },
				isOperator: { type: 'boolean', defaultValue: false, input: false }
			}
		},
		emailAndPassword: {
			enabled: true,
			minPasswordLength: MIN_PASSWORD_LENGTH,
			maxPasswordLength: MAX_PASSWORD_LENGTH,
			autoSignIn: true,
			requireEmailVerification: false,
			resetPasswordTokenExpiresIn: 3600,
			revokeSessionsOnPasswordReset: true,
			sendResetPassword: async ({ user: u, url }) => sendAuthMail(db, u.email, 'mail.reset', url, u.name)
		},
		emailVerification: {
			sendOnSignUp: true,
			autoSignInAfterVerification: true,
			sendVerificationEmail: async ({ user: u, url }) => sendAuthMail(db, u.email, 'mail.verify', url, u.name)
		},
		databaseHooks: {
			session: {
				create: {
					// why: an erased account keeps its id as a pseudonym; no way of signing in may revive it.
					before: async (s) => {
						const [u] = await db.select({ deletedAt: user.deletedAt }).from(user).where(eq(user.id, s.userId)).limit(1);
						if (u?.deletedAt) throw new APIError('UNAUTHORIZED', { code: 'ACCOUNT_ERASED', message: 'account erased' });
					}
				}
			}
		},
		plugins: [
			magicLink({
				expiresIn: 15 * 60,
				sendMagicLink: async ({ email, url }) => sendAuthMail(db, email, 'mail.magic_link', url)
			}),
			...(extraPlugins as never[])
		],
		hooks: {
			before: createAuthMiddleware(async (ctx) => {
				const body = (ctx.body ?? {}) as Record<string, unknown>;
				if (PASSWORD_PATHS.has(ctx.path)) {
					const pw = (body.password ?? body.newPassword) as string | undefined;
					if (typeof pw === 'string' && !isStrongPassword(pw)) {
						throw new APIError('BAD_REQUEST', { code: 'WEAK_PASSWORD', message: 'weak_password' });
					}
				}
				if (SIGN_IN_PATHS.has(ctx.path)) {
					const headers = ctx.headers ?? ctx.request?.headers;
					const ip = headers?.get(CLIENT_IP_HEADER) ?? 'unknown';
					try {
						await limitSignIn(db, ip, typeof body.email === 'string' ? body.email : undefined);
					} catch (e) {
						if (isAppError(e)) throw new APIError('TOO_MANY_REQUESTS', { code: 'RATE_LIMITED', message: 'rate_limited' });
						throw e;
					}
				}
			})
		}
	});
}

export type Auth = ReturnType<typeof createAuth>;
