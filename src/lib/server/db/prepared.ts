// Named prepared statements for the hot paths (decision 013, addendum 2): PostgreSQL parses and plans a named
// statement once per connection, then only binds and runs it. On the booking's context query that is most of its
// cost (planning ~2.5 ms, execution ~1 ms). The name is a hash of the statement's text, so two statements of
// different shapes (an IN list of 1 or 3 ids) never share a name, and one shape is prepared once per connection.
// PGlite ignores the name (it runs in this process; there is nothing to save).
import { createHash } from 'node:crypto';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Query, SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from './client';

const dialect = new PgDialect();

/** The statement name of a query text: "lieu_" + 24 characters of its SHA-1 (well under PostgreSQL's 63). */
export function statementName(text: string): string {
	return 'lieu_' + createHash('sha1').update(text).digest('base64url').slice(0, 24);
}

/** tx.execute(query) as a named prepared statement: same result ({ rows }). */
export async function executePrepared<T = Record<string, unknown>>(db: DbOrTx, query: SQLWrapper): Promise<{ rows: T[] }> {
	const q = dialect.sqlToQuery(query.getSQL());
	return (await db._.session.prepareQuery(q, undefined, statementName(q.sql), false).execute()) as { rows: T[] };
}

/** The query configs node-postgres receives from drizzle's prepared query (drizzle-orm 0.45). */
interface NodePgConfigs {
	queryString?: string;
	queryConfig?: { name?: string };
	rawQueryConfig?: { name?: string };
}

/**
 * A drizzle query builder (select, insert … returning) run as a named prepared statement: same rows as awaiting it.
 * why: the builder is built once (building a select costs ~0.3 ms); its text, known only once built, names it.
 */
export function runPrepared<R>(builder: { toSQL(): Query; prepare(name: string): { execute(): Promise<R> } }): Promise<R> {
	const prepared = builder.prepare('');
	const pg = prepared as unknown as NodePgConfigs;
	if (typeof pg.queryString === 'string' && pg.queryConfig && pg.rawQueryConfig) pg.queryConfig.name = pg.rawQueryConfig.name = statementName(pg.queryString);
	return prepared.execute();
}
