// Logical, engine-independent backups of a Lieu database (PGlite or PostgreSQL): every table of the Drizzle
// schema, each value in PostgreSQL's own text form (the form COPY uses), so a restore gives back identical
// data on either engine: timestamps to the microsecond, jsonb, numeric, arrays, nulls, unicode.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { is, sql } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import * as schema from './schema';
import type { Database, DbOrTx } from './client';
import { migrationsFolder } from './migrate';
import { AppError, pgErrorCode, type ErrorCode } from '../errors';

export const BACKUP_FORMAT = 'lieu-backup';
export const BACKUP_VERSION = 1;

/** One applied migration, as drizzle records it (hash of the SQL file, time stamp of its folder). */
export interface BackupMigration {
	hash: string;
	createdAt: number;
	tag?: string;
}

export interface BackupTable {
	/** Column names, in the order of each row's values. */
	columns: string[];
	/** Column types at backup time (informative: restore casts to the target's own types). */
	types: string[];
	/** Each value in PostgreSQL's text form, or null. */
	rows: (string | null)[][];
}

export interface BackupDocument {
	format: typeof BACKUP_FORMAT;
	version: typeof BACKUP_VERSION;
	createdAt: string;
	engine?: 'pglite' | 'postgres';
	migrations: BackupMigration[];
	tables: Record<string, BackupTable>;
}

/** Why a backup or restore was refused; the CLI translates `backup.<reason>`. */
export type BackupReason = 'not_a_backup' | 'unsupported_version' | 'newer_migrations' | 'unknown_migrations' | 'unknown_table' | 'unknown_column' | 'replica_denied';

export class BackupError extends AppError {
	readonly reason: BackupReason;
	readonly params: Record<string, string>;
	constructor(code: ErrorCode, reason: BackupReason, params: Record<string, string> = {}, detail?: string, cause?: unknown) {
		super(code, { detail: detail ?? `${reason} ${JSON.stringify(params)}`, cause });
		this.name = 'BackupError';
		this.reason = reason;
		this.params = params;
	}
}

interface LieuTable {
	/** Key in the backup document: the table name, schema-qualified when not in public. */
	key: string;
	/** Quoted, qualified SQL name. */
	ident: string;
	/** Keys of the tables this one references (for insertion order). */
	references: string[];
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function tableKey(name: string, schemaName?: string) {
	return schemaName && schemaName !== 'public' ? `${schemaName}.${name}` : name;
}

/**
 * Every table of the Drizzle schema (src/lib/server/db/schema.ts), parents before children (foreign keys).
 * New modules' tables are included as soon as schema.ts exports them.
 */
export function lieuTables(): LieuTable[] {
	const tables: LieuTable[] = [];
	const seen = new Set<string>();
	for (const value of Object.values(schema)) {
		if (!is(value, PgTable)) continue;
		const cfg = getTableConfig(value);
		const key = tableKey(cfg.name, cfg.schema);
		if (seen.has(key)) continue;
		seen.add(key);
		const references = cfg.foreignKeys.map((fk) => {
			const ref = getTableConfig(fk.reference().foreignTable);
			return tableKey(ref.name, ref.schema);
		});
		tables.push({ key, ident: cfg.schema ? `${quote(cfg.schema)}.${quote(cfg.name)}` : quote(cfg.name), references });
	}
	// Topological order (parents first); a cycle keeps the declaration order for the remaining tables.
	const ordered: LieuTable[] = [];
	const placed = new Set<string>();
	let rest = tables;
	while (rest.length) {
		const ready = rest.filter((t) => t.references.every((r) => r === t.key || placed.has(r) || !seen.has(r)));
		const batch = ready.length ? ready : [rest[0]];
		for (const t of batch) {
			ordered.push(t);
			placed.add(t.key);
		}
		rest = rest.filter((t) => !placed.has(t.key));
	}
	return ordered;
}

/** Rows of a raw query on either driver (node-postgres and PGlite both answer `{ rows }`). */
async function rows<T>(tx: DbOrTx, query: ReturnType<typeof sql>): Promise<T[]> {
	const r = (await tx.execute(query)) as unknown as { rows: T[] };
	return r.rows;
}

// why: every value is read and written as text; these settings make that text the same on every engine
// and every server configuration (UTC offsets, ISO dates, exact floats, hex bytea).
async function normaliseSession(tx: DbOrTx) {
	await tx.execute(sql.raw(`SET LOCAL TimeZone = 'UTC'`));
	await tx.execute(sql.raw(`SET LOCAL DateStyle = 'ISO, YMD'`));
	await tx.execute(sql.raw(`SET LOCAL IntervalStyle = 'postgres'`));
	await tx.execute(sql.raw(`SET LOCAL extra_float_digits = 1`));
	await tx.execute(sql.raw(`SET LOCAL bytea_output = 'hex'`));
}

interface ColumnInfo {
	name: string;
	type: string;
	generated: boolean;
}

async function columnsOf(tx: DbOrTx, ident: string): Promise<ColumnInfo[]> {
	const r = await rows<{ name: string; type: string; generated: string }>(
		tx,
		sql`SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attgenerated::text AS generated
			FROM pg_attribute a WHERE a.attrelid = ${ident}::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`
	);
	return r.map((c) => ({ name: c.name, type: c.type, generated: c.generated !== '' && c.generated !== '\u0000' && c.generated != null }));
}

async function primaryKeyOf(tx: DbOrTx, ident: string): Promise<string[]> {
	const r = await rows<{ name: string }>(
		tx,
		sql`SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = ${ident}::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`
	);
	return r.map((x) => x.name);
}

async function tableExists(tx: DbOrTx, ident: string): Promise<boolean> {
	const [r] = await rows<{ oid: string | null }>(tx, sql`SELECT to_regclass(${ident})::text AS oid`);
	return r?.oid != null;
}

/** Migrations this code knows (drizzle/ folder), oldest first, with their journal tags. */
export function codeMigrations(): BackupMigration[] {
	const folder = migrationsFolder();
	const journal = JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
	const tags = new Map(journal.entries.map((e) => [e.when, e.tag]));
	return readMigrationFiles({ migrationsFolder: folder }).map((m) => ({ hash: m.hash, createdAt: m.folderMillis, tag: tags.get(m.folderMillis) }));
}

/** Migrations applied to a database (drizzle's own table), oldest first. */
export async function appliedMigrations(tx: DbOrTx): Promise<BackupMigration[]> {
	if (!(await tableExists(tx, '"drizzle"."__drizzle_migrations"'))) return [];
	const r = await rows<{ hash: string; created_at: string | number }>(tx, sql`SELECT hash, created_at FROM "drizzle"."__drizzle_migrations" ORDER BY id`);
	const tags = new Map(codeMigrations().map((m) => [m.hash, m.tag]));
	return r.map((m) => ({ hash: m.hash, createdAt: Number(m.created_at), tag: tags.get(m.hash) }));
}

/** Reads the whole database into a backup document, in one consistent snapshot. */
export async function createBackup(database: Database): Promise<BackupDocument> {
	return database.db.transaction(
		async (tx) => {
			await normaliseSession(tx);
			const doc: BackupDocument = {
				format: BACKUP_FORMAT,
				version: BACKUP_VERSION,
				createdAt: new Date().toISOString(),
				engine: database.kind,
				migrations: await appliedMigrations(tx),
				tables: {}
			};
			for (const t of lieuTables()) {
				if (!(await tableExists(tx, t.ident))) continue;
				const cols = (await columnsOf(tx, t.ident)).filter((c) => !c.generated);
				const pk = await primaryKeyOf(tx, t.ident);
				const order = (pk.length ? pk : cols.map((c) => c.name)).map(quote).join(', ');
				// why: one json array per row, each value cast to text: exact on both drivers (no Date, no float parsing).
				const select = cols.length ? cols.map((c) => `${quote(c.name)}::text`).join(', ') : '';
				const data = await rows<{ r: (string | null)[] | string }>(tx, sql.raw(`SELECT json_build_array(${select}) AS r FROM ${t.ident} ORDER BY ${order}`));
				doc.tables[t.key] = {
					columns: cols.map((c) => c.name),
					types: cols.map((c) => c.type),
					rows: data.map((d) => (typeof d.r === 'string' ? JSON.parse(d.r) : d.r))
				};
			}
			return doc;
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

/** Writes a backup document as gzip'd JSON (one table at a time, so a large base is never one huge string). */
export async function writeBackupFile(doc: BackupDocument, file: string): Promise<void> {
	fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
	function* chunks() {
		const { tables, ...head } = doc;
		const headJson = JSON.stringify(head);
		yield headJson.slice(0, -1) + ',"tables":{';
		let first = true;
		for (const [name, t] of Object.entries(tables)) {
			yield `${first ? '' : ','}${JSON.stringify(name)}:{"columns":${JSON.stringify(t.columns)},"types":${JSON.stringify(t.types)},"rows":[`;
			for (let i = 0; i < t.rows.length; i++) yield (i ? ',\n' : '\n') + JSON.stringify(t.rows[i]);
			yield ']}';
			first = false;
		}
		yield '}}\n';
	}
	const tmp = `${file}.part`;
	await pipeline(Readable.from(chunks()), zlib.createGzip(), fs.createWriteStream(tmp));
	fs.renameSync(tmp, file);
}

/** Reads and checks a backup file (gzip'd JSON; plain JSON is accepted too). */
export function readBackupFile(file: string): BackupDocument {
	const raw = fs.readFileSync(file);
	let doc: unknown;
	try {
		const text = raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
		doc = JSON.parse(text);
	} catch (e) {
		throw new BackupError('invalid_input', 'not_a_backup', { file }, undefined, e);
	}
	return checkBackup(doc, file);
}

/** Validates the shape of a backup document. */
export function checkBackup(doc: unknown, file = ''): BackupDocument {
	const d = doc as Partial<BackupDocument> | null;
	if (!d || typeof d !== 'object' || d.format !== BACKUP_FORMAT || !Array.isArray(d.migrations) || !d.tables || typeof d.tables !== 'object')
		throw new BackupError('invalid_input', 'not_a_backup', { file });
	if (d.version !== BACKUP_VERSION) throw new BackupError('invalid_input', 'unsupported_version', { version: String(d.version) });
	for (const [name, t] of Object.entries(d.tables)) {
		if (!Array.isArray(t?.columns) || !Array.isArray(t?.rows) || t.rows.some((r) => !Array.isArray(r) || r.length !== t.columns.length))
			throw new BackupError('invalid_input', 'not_a_backup', { file, table: name });
	}
	return d as BackupDocument;
}

/** Reference tables whose rows the migrations themselves insert (VAT rates): present in a fresh database. */
export const SEEDED_BY_MIGRATIONS: ReadonlySet<string> = new Set(['vat_rate']);

/** True when no table of the Lieu schema holds a row (reference data seeded by migrations aside). */
export async function isDatabaseEmpty(database: Database): Promise<boolean> {
	for (const t of lieuTables()) {
		if (SEEDED_BY_MIGRATIONS.has(t.key)) continue;
		if (!(await tableExists(database.db, t.ident))) continue;
		const [r] = await rows<{ any: boolean }>(database.db, sql.raw(`SELECT EXISTS (SELECT 1 FROM ${t.ident}) AS any`));
		if (r.any) return false;
	}
	return true;
}

/** Refuses a backup made by a newer (or a different) version of Lieu than this code. */
export function checkMigrations(doc: BackupDocument, known: BackupMigration[] = codeMigrations()): void {
	const hashes = new Set(known.map((m) => m.hash));
	const latest = Math.max(0, ...known.map((m) => m.createdAt));
	const unknown = doc.migrations.filter((m) => !hashes.has(m.hash));
	if (!unknown.length) return;
	const newer = unknown.filter((m) => m.createdAt > latest);
	const names = (newer.length ? newer : unknown).map((m) => m.tag ?? m.hash.slice(0, 12)).join(', ');
	throw new BackupError('conflict', newer.length ? 'newer_migrations' : 'unknown_migrations', { migrations: names });
}

export interface RestoreResult {
	tables: number;
	rows: number;
}

// why: rows go in as json arrays; a statement carries at most this many characters of data.
const CHUNK_CHARS = 4_000_000;

/**
 * Replaces the whole content of the database with a backup, in ONE transaction: triggers off (append-only
 * tables refuse DELETE, foreign keys are triggers too), every Lieu table truncated, rows inserted, sequences
 * set to max(id). The database must already be migrated by this code (the backup's migrations must be
 * known). Tables or columns added since the backup keep their defaults.
 */
export async function restoreBackup(database: Database, doc: BackupDocument): Promise<RestoreResult> {
	checkMigrations(doc);
	const tables = lieuTables();
	const byKey = new Map(tables.map((t) => [t.key, t]));
	for (const name of Object.keys(doc.tables)) if (!byKey.has(name)) throw new BackupError('conflict', 'unknown_table', { table: name });
	let total = 0;
	await database.db.transaction(async (tx) => {
		await normaliseSession(tx);
		try {
			await tx.execute(sql.raw(`SET LOCAL session_replication_role = replica`));
		} catch (e) {
			if (pgErrorCode(e) === '42501') throw new BackupError('forbidden', 'replica_denied', {}, undefined, e);
			throw e;
		}
		const present: LieuTable[] = [];
		for (const t of tables) if (await tableExists(tx, t.ident)) present.push(t);
		if (present.length) await tx.execute(sql.raw(`TRUNCATE ${present.map((t) => t.ident).join(', ')} RESTART IDENTITY`));
		for (const t of present) {
			const data = doc.tables[t.key];
			if (!data || data.rows.length === 0) continue;
			const cols = await columnsOf(tx, t.ident);
			const byName = new Map(cols.map((c) => [c.name, c]));
			for (const c of data.columns) {
				const target = byName.get(c);
				if (!target || target.generated) throw new BackupError('conflict', 'unknown_column', { table: t.key, column: c });
			}
			const list = data.columns.map(quote).join(', ');
			const values = data.columns.map((c, i) => `(r->>${i})::${byName.get(c)!.type}`).join(', ');
			let batch: string[] = [];
			let size = 0;
			const flush = async () => {
				if (!batch.length) return;
				const json = `[${batch.join(',')}]`;
				await tx.execute(sql`${sql.raw(`INSERT INTO ${t.ident} (${list}) OVERRIDING SYSTEM VALUE SELECT ${values} FROM json_array_elements(`)}${json}${sql.raw(`::json) AS r`)}`);
				batch = [];
				size = 0;
			};
			for (const row of data.rows) {
				const s = JSON.stringify(row);
				batch.push(s);
				size += s.length;
				if (size >= CHUNK_CHARS) await flush();
			}
			await flush();
			total += data.rows.length;
			// Sequences (bigserial, identity) continue after the largest restored id.
			for (const c of cols) {
				const [seq] = await rows<{ seq: string | null }>(tx, sql`SELECT pg_get_serial_sequence(${t.ident}, ${c.name}) AS seq`);
				if (!seq?.seq) continue;
				await tx.execute(sql.raw(`SELECT setval('${seq.seq.replace(/'/g, "''")}', m, true) FROM (SELECT max(${quote(c.name)}) AS m FROM ${t.ident}) x WHERE m IS NOT NULL`));
			}
		}
		await tx.execute(sql.raw(`SET LOCAL session_replication_role = origin`));
	});
	return { tables: Object.keys(doc.tables).length, rows: total };
}
