// Backup and restore: a round trip gives back identical rows in every table (timestamps to the microsecond,
// jsonb, nulls, unicode), on PGlite and PostgreSQL, and across engines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { is, sql } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { dbKind, freshDatabase, testDatabaseName } from '../helpers/db';
import { openDatabase, type Database } from '../../src/lib/server/db/client';
import { migrateDatabase } from '../../src/lib/server/db/migrate';
import * as schema from '../../src/lib/server/db/schema';
import {
	BackupError,
	appliedMigrations,
	codeMigrations,
	createBackup,
	isDatabaseEmpty,
	lieuTables,
	readBackupFile,
	restoreBackup,
	writeBackupFile,
	type BackupDocument
} from '../../src/lib/server/db/backup';
import { createPlace, addMember } from '../../src/lib/modules/places/commands.server';
import { createUserRecord } from '../../src/lib/modules/people/users.server';
import { recordConsent } from '../../src/lib/modules/people/commands.server';

let database: Database;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-backup-test-'));

beforeAll(async () => {
	database = await freshDatabase();
});
afterAll(async () => {
	await database?.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

type Rows = (x: Database) => Promise<Record<string, string[]>>;

/** Every Lieu table's rows as PostgreSQL record text, ordered by primary key (an independent read path). */
const snapshot: Rows = async (db) =>
	db.db.transaction(async (tx) => {
		await tx.execute(sql.raw(`SET LOCAL TimeZone = 'UTC'`));
		const out: Record<string, string[]> = {};
		for (const t of lieuTables()) {
			const pk = (await tx.execute(
				sql`SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
					WHERE i.indrelid = ${t.ident}::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`
			)) as unknown as { rows: { name: string }[] };
			const order = pk.rows.length ? pk.rows.map((r) => `"${r.name}"`).join(', ') : '1';
			const r = (await tx.execute(sql.raw(`SELECT x::text AS row FROM ${t.ident} x ORDER BY ${order}`))) as unknown as { rows: { row: string }[] };
			out[t.key] = r.rows.map((x) => x.row);
		}
		return out;
	});

async function seed(db: Database) {
	return db.db.transaction(async (tx) => {
		const u = await createUserRecord(tx, { email: 'zoe@example.org', password: 'un-long-mot-de-passe', name: 'Zoë « Ünïcødé » 🌱 أحمد' });
		const u2 = await createUserRecord(tx, { email: 'bob@example.org', name: 'Bob "quotes" \\ back\nslash' });
		const p = await createPlace(tx, { slug: 'la-fabrique', name: 'La Fabrique — café & atelier', address: '1 rue de l’Église, 75001 Paris', timezone: 'Europe/Paris' }, u.id);
		await addMember(tx, p.id, u.id, 'admin', u.id);
		await addMember(tx, p.id, u2.id, 'member', u.id);
		// microsecond timestamps, jsonb with unicode and big/precise numbers, explicit nulls
		await tx.execute(sql`UPDATE "user" SET created_at = '2024-03-31 00:59:59.123456+00', deleted_at = NULL,
			email_prefs = ${JSON.stringify({ news: true, reminders: false, note: 'ça marche ✓', n: 0.1 })}::jsonb WHERE id = ${u.id}`);
		await tx.execute(sql`INSERT INTO audit_log (place_id, actor_id, action, target_type, target_id, data, at) VALUES
			(${p.id}, NULL, 'test.micro', NULL, NULL, '{"big": 12345678901234567890.123456789, "nested": {"a": [1, null, "é"]}, "empty": {}}'::jsonb, '2025-10-26 00:30:00.000001+00'),
			(NULL, ${u.id}, 'test.null', 'user', ${u.id}, 'null'::jsonb, '1999-12-31 23:59:59.999999+00')`);
		await recordConsent(tx, u.id, 'news', true);
		return { userId: u.id, placeId: p.id };
	});
}

describe('backup', () => {
	it('knows every table of the Drizzle schema', () => {
		const expected = Object.values(schema)
			.filter((v) => is(v, PgTable))
			.map((v) => getTableConfig(v as PgTable).name);
		const keys = lieuTables().map((t) => t.key);
		expect(new Set(keys)).toEqual(new Set(expected));
		expect(keys).toContain('audit_log');
		// parents before children: place before role before place_member
		expect(keys.indexOf('place')).toBeLessThan(keys.indexOf('role'));
		expect(keys.indexOf('role')).toBeLessThan(keys.indexOf('place_member'));
		expect(keys.indexOf('user')).toBeLessThan(keys.indexOf('session'));
	});

	it('round trip: backup, change everything, restore gives back identical rows', async () => {
		expect(await isDatabaseEmpty(database)).toBe(true);
		const { userId, placeId } = await seed(database);
		expect(await isDatabaseEmpty(database)).toBe(false);
		const before = await snapshot(database);
		expect(before.user.join('\n')).toContain('2024-03-31 00:59:59.123456+00');
		expect(before.audit_log.join('\n')).toContain('12345678901234567890.123456789');
		expect(before.audit_log.join('\n')).toContain('1999-12-31 23:59:59.999999+00');

		const file = path.join(dir, 'round-trip.json.gz');
		const doc = await createBackup(database);
		expect(doc.format).toBe('lieu-backup');
		expect(doc.migrations.map((m) => m.hash)).toEqual(codeMigrations().map((m) => m.hash));
		await writeBackupFile(doc, file);
		const raw = fs.readFileSync(file);
		expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]); // gzip
		const parsed = JSON.parse(zlib.gunzipSync(raw).toString('utf8')) as BackupDocument;
		expect(parsed.tables.user.rows.length).toBe(2);

		// mutate: new rows, updated rows, deleted rows, appended audit entries
		await database.db.transaction(async (tx) => {
			await tx.execute(sql`UPDATE "user" SET name = 'changed', email_prefs = '{}'::jsonb WHERE id = ${userId}`);
			await tx.execute(sql`DELETE FROM place_member WHERE place_id = ${placeId}`);
			await createPlace(tx, { slug: 'autre-lieu', name: 'Autre lieu' }, null);
			await createUserRecord(tx, { email: 'new@example.org' });
		});
		expect(await snapshot(database)).not.toEqual(before);

		const result = await restoreBackup(database, readBackupFile(file));
		expect(result.rows).toBeGreaterThan(10);
		expect(await snapshot(database)).toEqual(before);

		// sequences continue after the restored ids; append-only still enforced afterwards (triggers back on)
		const [maxBefore] = (await database.query<{ m: string }>(`SELECT max(id)::text AS m FROM audit_log`)).map((r) => Number(r.m));
		const [ins] = await database.query<{ id: string }>(`INSERT INTO audit_log (action) VALUES ('after.restore') RETURNING id::text AS id`);
		expect(Number(ins.id)).toBe(maxBefore + 1);
		await expect(database.exec(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
		// foreign keys are enforced again
		await expect(database.exec(`INSERT INTO place_member (place_id, user_id, role_id) VALUES ('nope', 'nope', 'nope')`)).rejects.toThrow();
	});

	it('refuses a backup from a newer version, and leaves the database untouched', async () => {
		const before = await snapshot(database);
		const doc = await createBackup(database);
		const newer: BackupDocument = { ...doc, migrations: [...doc.migrations, { hash: 'f'.repeat(64), createdAt: Date.now() + 86_400_000, tag: '9999_future' }], tables: {} };
		const e = await restoreBackup(database, newer).catch((x) => x);
		expect(e).toBeInstanceOf(BackupError);
		expect(e.reason).toBe('newer_migrations');
		expect(e.params.migrations).toContain('9999_future');
		expect(await snapshot(database)).toEqual(before);
	});

	it('refuses files that are not backups', async () => {
		const junk = path.join(dir, 'junk.json.gz');
		fs.writeFileSync(junk, zlib.gzipSync('{"hello": "world"}'));
		expect(() => readBackupFile(junk)).toThrow(BackupError);
		fs.writeFileSync(junk, 'not even json');
		const e = (() => {
			try {
				readBackupFile(junk);
			} catch (x) {
				return x as BackupError;
			}
		})();
		expect(e?.reason).toBe('not_a_backup');
	});

	it.runIf(process.env.TEST_DATABASE_URL)('restores across engines (PGlite <-> PostgreSQL)', async () => {
		const url = process.env.TEST_DATABASE_URL!;
		const before = await snapshot(database);
		const doc = await createBackup(database);
		const file = path.join(dir, 'cross.json.gz');
		await writeBackupFile(doc, file);
		let other: Database;
		let drop = async () => {};
		if (dbKind === 'pglite') {
			// the other engine: a new, empty PostgreSQL database migrated by this code
			const name = testDatabaseName();
			const pg = (await import('pg')).default;
			const admin = new pg.Client({ connectionString: url });
			await admin.connect();
			await admin.query(`CREATE DATABASE ${name}`);
			await admin.end();
			const u = new URL(url);
			u.pathname = `/${name}`;
			other = await openDatabase({ url: u.toString(), poolSize: 2 });
			drop = async () => {
				const a = new pg.Client({ connectionString: url });
				await a.connect();
				await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
				await a.end();
			};
		} else {
			other = await openDatabase({ memory: true });
		}
		try {
			await migrateDatabase(other);
			expect((await appliedMigrations(other.db)).map((m) => m.hash)).toEqual(doc.migrations.map((m) => m.hash));
			await restoreBackup(other, readBackupFile(file));
			expect(await snapshot(other)).toEqual(before);
			expect(other.kind).not.toBe(database.kind);
		} finally {
			await other.close();
			await drop();
		}
	});

	it.runIf(dbKind === 'postgres')('says clearly when the account may not turn triggers off (PostgreSQL without superuser)', async () => {
		const role = `lieu_t_nr_${crypto.randomBytes(4).toString('hex')}`;
		await database.exec(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
		const u = new URL(database.url!);
		u.username = role;
		const limited = await openDatabase({ url: u.toString(), poolSize: 1 });
		try {
			const doc = await createBackup(database);
			const e = await restoreBackup(limited, doc).catch((x) => x);
			expect(e).toBeInstanceOf(BackupError);
			expect(e.reason).toBe('replica_denied');
		} finally {
			await limited.close();
			await database.exec(`DROP ROLE ${role}`);
		}
	});
});
