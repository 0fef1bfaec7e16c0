import { z } from 'zod';
import path from 'node:path';

/**
 * Configuration, read and validated once. No other file reads process.env (except the adapter's
 * own PORT/HOST/ORIGIN, which adapter-node reads itself). Zero configuration gives a working app on PGlite.
 */
const schema = z.object({
	DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
	LIEU_DATA_DIR: z.string().default('./data'),
	PORT: z.coerce.number().int().positive().default(3000),
	HOST: z.string().default('0.0.0.0'),
	ORIGIN: z.string().url().optional(),
	LIEU_BASE_URL: z.string().url().optional(),
	SMTP_URL: z.string().optional(),
	SMTP_HOST: z.string().optional(),
	SMTP_PORT: z.coerce.number().int().positive().optional(),
	SMTP_USER: z.string().optional(),
	SMTP_PASSWORD: z.string().optional(),
	SMTP_SECURE: z.enum(['true', 'false']).optional(),
	MAIL_FROM: z.string().default('Lieu <no-reply@lieu.localhost>'),
	LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
	LIEU_SECRET: z.string().min(32).optional(),
	LIEU_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
	/** Seconds between two passes of the background jobs (expire unpaid orders, send queued mails); 0 = off. */
	LIEU_JOBS_INTERVAL: z.coerce.number().int().min(0).max(86400).default(60),
	NODE_ENV: z.string().optional(),
	STRIPE_SECRET_KEY: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
	STRIPE_WEBHOOK_SECRET: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
	/** Another Stripe API endpoint (stripe-mock, tests' fake server); default Stripe's own. */
	STRIPE_API_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
	HELLOASSO_CLIENT_ID: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
	HELLOASSO_CLIENT_SECRET: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
	HELLOASSO_ORGANIZATION_SLUG: z.string().min(1).optional().or(z.literal('').transform(() => undefined)),
	HELLOASSO_API_URL: z.string().url().default('https://api.helloasso.com')
});

export type Env = z.infer<typeof schema> & { dataDir: string; baseUrl: string; smtpConfigured: boolean };

let cached: Env | undefined;

/** Returns the validated configuration (memoised). Throws a readable error naming bad variables. */
export function env(): Env {
	if (cached) return cached;
	const parsed = schema.safeParse(process.env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
		throw new Error(`Invalid configuration (environment variables):\n${lines}`);
	}
	const e = parsed.data;
	const baseUrl = (e.LIEU_BASE_URL ?? e.ORIGIN ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
	cached = {
		...e,
		dataDir: path.resolve(e.LIEU_DATA_DIR),
		baseUrl,
		smtpConfigured: Boolean(e.SMTP_URL || e.SMTP_HOST)
	};
	return cached;
}

/** Test hook: forget the memoised configuration so a test can change process.env. */
export function resetEnvForTests() {
	cached = undefined;
}
