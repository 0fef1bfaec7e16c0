// The OpenAPI 3.1 document of /api/v1, generated from the routes registered by apiRoute and their zod
// schemas (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod 4 writes with z.toJSONSchema).
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../errors';
import { apiErrorSchema } from '../../modules/places/api-schemas';
import { pathParams, registeredRoutes, type RegisteredRoute } from './api';

type JsonSchema = Record<string, unknown>;

export type OpenApiDocument = {
	openapi: '3.1.0';
	info: { title: string; version: string; description: string; license: { name: string; identifier: string } };
	servers: Array<{ url: string; description?: string }>;
	tags: Array<{ name: string }>;
	security: Array<Record<string, string[]>>;
	components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
	paths: Record<string, Record<string, unknown>>;
};

/** Zod -> JSON Schema 2020-12; named schemas (.meta({ id })) go to components.schemas and are referenced. */
class SchemaCollector {
	readonly schemas: Record<string, JsonSchema> = {};

	convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
		const json = z.toJSONSchema(schema, {
			target: 'draft-2020-12',
			io,
			unrepresentable: 'any',
			override: ({ jsonSchema }) => {
				// why: a response schema that forbids extra properties would break strict clients on every new field.
				const js = jsonSchema as JsonSchema;
				if (io === 'output' && js.additionalProperties === false) delete js.additionalProperties;
			}
		}) as JsonSchema;
		delete json.$schema;
		const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
		delete json.$defs;
		// Same name, different shape (a schema's input and output differ): keep both, suffix the input one.
		const rename: Record<string, string> = {};
		for (const [name, def] of Object.entries(defs)) {
			let target = name;
			const existing = this.schemas[name];
			if (existing && JSON.stringify(existing) !== JSON.stringify(rewriteRefs(def, {}))) target = io === 'input' ? `${name}Input` : `${name}Output`;
			rename[name] = target;
		}
		for (const [name, def] of Object.entries(defs)) this.schemas[rename[name]] ??= rewriteRefs(def, rename) as JsonSchema;
		return rewriteRefs(json, rename) as JsonSchema;
	}
}

function rewriteRefs(v: unknown, rename: Record<string, string>): unknown {
	if (Array.isArray(v)) return v.map((x) => rewriteRefs(x, rename));
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) {
			if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')) {
				const name = x.slice('#/$defs/'.length);
				out[k] = `#/components/schemas/${rename[name] ?? name}`;
			} else out[k] = rewriteRefs(x, rename);
		}
		return out;
	}
	return v;
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function errorResponse(description: string) {
	return { description, content: { 'application/json': { schema: ERROR_REF } } };
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Invalid input: bad JSON, wrong types or values (see error.fields).',
	401: 'Missing, unknown or revoked credentials (WWW-Authenticate: Bearer).',
	403: 'The caller lacks the permission in this place.',
	404: 'Not found.',
	405: 'Method not allowed on this path.',
	409: 'Conflict with the current state.',
	413: 'Request body too large.',
	415: 'The body must be JSON (Content-Type: application/json).',
	429: 'Too many requests.',
	500: 'Unexpected error.'
};

function operation(r: RegisteredRoute, collector: SchemaCollector) {
	const parameters: unknown[] = pathParams(r.path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
	if (r.query) {
		const qs = collector.convert(r.query, 'input');
		const props = (qs.properties ?? {}) as Record<string, JsonSchema>;
		const required = new Set((qs.required ?? []) as string[]);
		for (const [name, schema] of Object.entries(props)) {
			const { description, ...rest } = schema;
			parameters.push({ name, in: 'query', required: required.has(name), ...(description ? { description } : {}), schema: rest });
		}
	}
	const codes = new Set<ErrorCode>(r.errors);
	if (r.input || r.query || pathParams(r.path).length) codes.add('invalid_input');
	codes.add('unauthenticated');
	if (r.input) {
		codes.add('payload_too_large');
		codes.add('unsupported_media_type');
	}
	const statuses = [...new Set([...codes].map((c) => ERROR_STATUS[c] as number))].sort();
	const responses: Record<string, unknown> = {};
	responses[String(r.status)] =
		r.status === 204
			? { description: 'Done (no content).' }
			: { description: 'Success.', content: { 'application/json': { schema: collector.convert(r.output, 'output') } } };
	for (const s of statuses) {
		const names = [...codes].filter((c) => ERROR_STATUS[c] === s);
		responses[String(s)] = errorResponse(`${STATUS_TEXT[s] ?? 'Error.'} Codes: ${names.join(', ')}.`);
	}
	responses.default = errorResponse('Any other error, same shape.');
	return {
		operationId: r.operationId,
		summary: r.summary,
		...(r.description ? { description: r.description } : {}),
		tags: r.tags,
		// Public operations work without credentials ({}), but a token may be sent to see more.
		security: r.auth === 'public' ? [{}, { bearer: [] }] : [{ bearer: [] }],
		...(parameters.length ? { parameters } : {}),
		...(r.input ? { requestBody: { required: true, content: { 'application/json': { schema: collector.convert(r.input, 'input') } } } } : {}),
		responses
	};
}

/** Builds the OpenAPI 3.1 document of every registered route. `serverUrl`: the absolute URL of /api/v1. */
export function buildOpenApiDocument(opts: { serverUrl: string; version?: string }): OpenApiDocument {
	const collector = new SchemaCollector();
	collector.convert(apiErrorSchema, 'output');
	const paths: OpenApiDocument['paths'] = {};
	const tags = new Set<string>();
	for (const r of registeredRoutes()) {
		paths[r.path] ??= {};
		paths[r.path][r.method.toLowerCase()] = operation(r, collector);
		for (const t of r.tags) tags.add(t);
	}
	return {
		openapi: '3.1.0',
		info: {
			title: 'Lieu API',
			version: opts.version ?? '1',
			description:
				'JSON API of Lieu. Authenticate with a personal API token (created on your profile page) sent as ' +
				'`Authorization: Bearer lieu_…`; same-origin browser calls may use the session cookie instead. Every error is ' +
				'`{"error":{"code","message","fields"?}}`; messages follow Accept-Language (French by default). Dates are ISO 8601 ' +
				'strings; amounts are integer cents.',
			license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' }
		},
		servers: [{ url: opts.serverUrl }],
		tags: [...tags].sort().map((name) => ({ name })),
		security: [{ bearer: [] }],
		components: {
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (lieu_…).' } },
			schemas: collector.schemas
		},
		paths
	};
}

/** Loose shape of the document (the route's output schema: the document is built, not user input). */
export const openApiDocumentSchema = z.looseObject({
	openapi: z.literal('3.1.0'),
	info: z.looseObject({ title: z.string(), version: z.string() }),
	paths: z.record(z.string(), z.any())
});
