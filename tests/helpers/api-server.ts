// A real HTTP server (node:http on 127.0.0.1, random port) in front of API route modules, for tests and benchmarks
// that must go through sockets without building the whole app: each request becomes a Request handed to the
// route's exported handler with its path parameters, exactly as SvelteKit would call it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiEvent } from '../../src/lib/server/http/api';

type Handler = (event: ApiEvent) => Promise<Response>;

export interface ApiServer {
	/** Base URL ending in /api/v1. */
	url: string;
	close(): Promise<void>;
}

/** Starts the server; `routes` maps OpenAPI-style paths under /api/v1 ('/places/{slug}/bookings') to route modules. */
export async function startApiServer(routes: Record<string, Record<string, unknown>>): Promise<ApiServer> {
	const table = Object.entries(routes).map(([path, mod]) => {
		const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
		const re = new RegExp('^/api/v1' + path.replace(/\{\w+\}/g, '([^/]+)') + '$');
		return { re, names, mod };
	});
	const server = http.createServer(async (req, res) => {
		try {
			const chunks: Buffer[] = [];
			for await (const c of req) chunks.push(c as Buffer);
			const url = new URL(req.url ?? '/', 'http://lieu.test');
			const hit = table.map((r) => ({ ...r, m: r.re.exec(url.pathname) })).find((r) => r.m);
			if (!hit) {
				res.writeHead(404).end();
				return;
			}
			const params = Object.fromEntries(hit.names.map((n, i) => [n, decodeURIComponent(hit.m![i + 1])]));
			const headers = new Headers();
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
			const method = req.method ?? 'GET';
			const request = new Request(url, { method, headers, body: chunks.length && method !== 'GET' && method !== 'HEAD' ? Buffer.concat(chunks) : undefined });
			const handler = (hit.mod[method] ?? hit.mod.fallback) as Handler;
			const r = await handler({ request, url, params, locals: { user: null, sessionId: null, locale: 'fr' } });
			res.writeHead(r.status, Object.fromEntries(r.headers));
			res.end(Buffer.from(await r.arrayBuffer()));
		} catch (e) {
			res.writeHead(500).end(String(e));
		}
	});
	server.keepAliveTimeout = 10_000;
	await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
		close: () => new Promise<void>((ok) => server.close(() => ok()))
	};
}
