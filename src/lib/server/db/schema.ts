// The full database schema: each module owns its tables; this file gathers them for drizzle.
export * from '../../modules/people/schema';
export * from '../../modules/places/schema';
