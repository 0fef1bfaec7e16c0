import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import { openDatabase, type Database } from './db/client';
import { migrateDatabase } from './db/migrate';
import { instanceSetting } from './db/schema';
import { env } from './env';
import { createAuth, type Auth } from './auth';
import { log } from './log';

export interface App {
	database: Database;
	auth: Auth;
}

let appPromise: Promise<App> | undefined;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let authPlugins: any[] = [];

/** Registers extra better-auth plugins (the SvelteKit cookie bridge) before the app opens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function configureAuthPlugins(plugins: any[]) {
	authPlugins = plugins;
}

/** The secret that signs sessions: LIEU_SECRET, else one generated at first start and kept in the database. */
export async function instanceSecret(database: Database): Promise<string> {
	const fromEnv = env().LIEU_SECRET;
	if (fromEnv) return fromEnv;
	const db = database.db;
	const [row] = await db.select().from(instanceSetting).where(eq(instanceSetting.key, 'auth_secret'));
	if (row) return row.value;
	await db.insert(instanceSetting).values({ key: 'auth_secret', value: crypto.randomBytes(32).toString('base64url') }).onConflictDoNothing();
	const [again] = await db.select().from(instanceSetting).where(eq(instanceSetting.key, 'auth_secret'));
	return again.value;
}

/** Opens the database from the configuration, applies migrations and builds auth. */
export async function bootApp(database?: Database): Promise<App> {
	const e = env();
	const t0 = Date.now();
	database ??= await openDatabase({ url: e.DATABASE_URL, dataDir: e.dataDir, holder: 'server' });
	await migrateDatabase(database);
	const auth = createAuth(database.db, await instanceSecret(database), authPlugins);
	log().info({ db: database.kind, ms: Date.now() - t0 }, 'database ready');
	return { database, auth };
}

/** The app singleton (memoised, opened lazily: never at module load, since vite build imports modules). */
export function getApp(): Promise<App> {
	appPromise ??= bootApp().catch((err) => {
		appPromise = undefined;
		throw err;
	});
	return appPromise;
}

/** Installs an already-opened app (tests). */
export function setApp(app: App) {
	appPromise = Promise.resolve(app);
}

/** Closes the database (graceful shutdown). */
export async function closeApp(): Promise<void> {
	if (!appPromise) return;
	const app = await appPromise.catch(() => undefined);
	appPromise = undefined;
	await app?.database.close();
}
