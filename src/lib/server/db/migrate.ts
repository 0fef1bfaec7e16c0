import path from 'node:path';
import fs from 'node:fs';
import type { Database } from './client';

/** Where the SQL migrations live (the project's drizzle/ folder, found from the working directory up). */
export function migrationsFolder(): string {
	let dir = process.cwd();
	for (let i = 0; i < 5; i++) {
		const candidate = path.join(dir, 'drizzle');
		if (fs.existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
		dir = path.dirname(dir);
	}
	throw new Error('Migrations folder drizzle/ not found: run Lieu from its project folder.');
}

// why: a fixed key for pg_advisory_lock so two servers starting together never migrate at once.
const MIGRATION_LOCK_KEY = 4_242_001;

/** Applies pending migrations (forward-only), under an advisory lock on PostgreSQL. */
export async function migrateDatabase(database: Database): Promise<void> {
	const migrationsFolderPath = migrationsFolder();
	if (database.kind === 'pglite') {
		// PGlite has one connection and one owning process (lock file): no race to guard.
		await database.exec('CREATE EXTENSION IF NOT EXISTS btree_gist;');
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		await migrate(database.db as never, { migrationsFolder: migrationsFolderPath });
		return;
	}
	const pg = (await import('pg')).default;
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
		try {
			await client.query('CREATE EXTENSION IF NOT EXISTS btree_gist;');
			const { drizzle } = await import('drizzle-orm/node-postgres');
			const { migrate } = await import('drizzle-orm/node-postgres/migrator');
			await migrate(drizzle(client), { migrationsFolder: migrationsFolderPath });
		} finally {
			await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
		}
	} finally {
		await client.end();
	}
}
