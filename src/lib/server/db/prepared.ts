// Named prepared statements for the hot paths (decision 013, addendum 2): PostgreSQL parses and plans a named
// statement once per connection, then only binds and runs it. On the booking's context query that is most of its
// cost (planning ~2.5 ms, execution ~1 ms). The name is a hash of the statement's text, so two statements of
// different shapes (an IN list of 1 or 3 ids) never share a name, and one shape is prepared once per connection.
// PGlite ignores the name (it runs in this process; there is nothing to save).
import { createHash } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql, type Query, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './client';

const dialect = new PgDialect();

/** The statement name of a query text: "lieu_" + 24 characters of its SHA-1 (well under PostgreSQL's 63). */
export function statementName(text: string): string {
	return 'lieu_' + createHash('sha1').update(text).digest('base64url').slice(0, 24);
}

/** The query configs node-postgres receives from drizzle's prepared query (drizzle-orm 0.45). */
interface NodePgConfigs {
	queryString?: string;
	queryConfig?: { name?: string };
	rawQueryConfig?: { name?: string };
}

// ---------------------------------------------------------------------------------------------------------------
// Statements built once. Building a query with drizzle walks every chunk of it (~0.3 ms for a select with joins,
// ~1 ms for the booking's write statement); on the booking's hot path that was as long as the database's own work.
// A cached statement is built once per shape with placeholders (`ph('name')`) instead of values; each call only
// binds the values. The `key` names the shape: two calls with one key MUST build the same text (put in the key
// whatever changes the text: a flag that adds a condition, the length of a list).

/** A placeholder for a value bound at each call (sql.placeholder), typed as the value it stands for. */
export const ph = <T = string>(name: string): T => sql.placeholder(name) as unknown as T;

interface PreparedLike<R> {
	execute(values?: Record<string, unknown>): Promise<R>;
}
interface SessionLike {
	client: unknown;
	prepareQuery(query: Query, fields: undefined, name: string, arrayMode: boolean): PreparedLike<unknown>;
}
const sessionOf = (db: DbOrTx) => (db as unknown as { _: { session: SessionLike } })._.session;

const rawStatements = new Map<string, { query: Query; name: string }>();

/** A raw SQL statement (as tx.execute, named by the hash of its text) built once per key; `values` fill its placeholders. Returns { rows }. */
export async function executeCached<T = Record<string, unknown>>(db: DbOrTx, key: string, build: () => SQLWrapper, values: Record<string, unknown>): Promise<{ rows: T[] }> {
	let st = rawStatements.get(key);
	if (!st) {
		const query = dialect.sqlToQuery(build().getSQL());
		st = { query, name: statementName(query.sql) };
		rawStatements.set(key, st);
	}
	return (await sessionOf(db).prepareQuery(st.query, undefined, st.name, false).execute(values)) as { rows: T[] };
}

/** Per engine (its session class), the prepared query of each key, kept as the prototype of each call's query. */
const builtStatements = new Map<unknown, Map<string, object>>();

/**
 * A drizzle query builder (select, insert … returning) built once per key and run as a named prepared statement on
 * `db` (a database or a transaction): same rows as awaiting the builder with the values in place of the placeholders.
 */
export function runCached<R>(db: DbOrTx, key: string, build: (db: DbOrTx) => { prepare(name: string): PreparedLike<R> }, values: Record<string, unknown>): Promise<R> {
	const session = sessionOf(db);
	let byKey = builtStatements.get(session.constructor);
	if (!byKey) builtStatements.set(session.constructor, (byKey = new Map()));
	let proto = byKey.get(key);
	if (!proto) {
		const prepared = build(db).prepare('');
		const pg = prepared as unknown as NodePgConfigs;
		if (typeof pg.queryString === 'string' && pg.queryConfig && pg.rawQueryConfig) pg.queryConfig.name = pg.rawQueryConfig.name = statementName(pg.queryString);
		byKey.set(key, (proto = prepared));
	}
	// why: a prepared query runs on the client it was made with; each call's copy runs on this db's (or transaction's).
	const q = Object.create(proto) as PreparedLike<R> & { client: unknown };
	q.client = session.client;
	return q.execute(values);
}

/**
 * An object's defined entries as placeholders named prefix + key, the values to bind them, and the shape (its keys):
 * `tx.insert(t).values(p.placeholders)` built once per shape, bound with `p.values`. A null stays a null in the built
 * statement (part of the shape), as drizzle would encode a bound null with the column's encoder (a json column would
 * get the JSON text "null").
 */
export function placeholdersOf(prefix: string, obj: Record<string, unknown>): { placeholders: Record<string, unknown>; values: Record<string, unknown>; shape: string } {
	const placeholders: Record<string, unknown> = {};
	const values: Record<string, unknown> = {};
	const keys: string[] = [];
	for (const [k, v] of Object.entries(obj)) {
		if (v === undefined) continue;
		if (v === null) {
			keys.push(k + '=null');
			placeholders[k] = null;
			continue;
		}
		keys.push(k);
		placeholders[k] = sql.placeholder(prefix + k);
		values[prefix + k] = v;
	}
	return { placeholders, values, shape: keys.join(',') };
}
