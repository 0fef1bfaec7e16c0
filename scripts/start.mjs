// `npm start`: builds if needed, then serves Lieu on PORT (3000) / HOST (0.0.0.0), on PGlite in ./data
// unless DATABASE_URL is set. Migrations apply at start (hooks.server init).
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { needsBuild, build } from './build-if-needed.mjs';

const buildDir = process.env.LIEU_BUILD_DIR;
if (!buildDir && needsBuild()) build();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
process.env.BODY_SIZE_LIMIT ??= '10M';
// why: without ORIGIN, adapter-node assumes https unless a protocol header says otherwise, which makes every
// form post on plain http (a laptop, a till on the café's Wi-Fi) fail the cross-site check. We serve plain
// http ourselves, so we say so; behind a TLS proxy, set ORIGIN or let the proxy send X-Forwarded-Proto.
process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
const { handler } = await import(buildDir ? pathToFileURL(path.resolve(buildDir, 'handler.js')).href : '../build/handler.js');

const server = http.createServer((req, res) => {
	if (!req.headers['x-forwarded-proto']) req.headers['x-forwarded-proto'] = 'http';
	res.once('finish', () => drainUnreadBody(req));
	handler(req, res);
});
/**
 * Discards the rest of a request body the app answered without reading (a sign-in redirect, a 413 on the declared
 * length). why: SvelteKit pauses the request stream and Node then leaves the unread bytes on the keep-alive
 * connection, so the client's next request on it fails with a reset. Gives up (closes) after 5 s.
 */
function drainUnreadBody(req) {
	if (req.complete || req.destroyed) return;
	req.removeAllListeners('data');
	const timer = setTimeout(() => req.destroy(), 5000).unref();
	req.once('end', () => clearTimeout(timer));
	req.once('close', () => clearTimeout(timer));
	req.resume();
}

server.listen(port, host, () => {
	console.log(`[lieu] listening on http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`);
});

let stopping = false;
function shutdown(signal) {
	if (stopping) return;
	stopping = true;
	console.log(`[lieu] ${signal}: finishing requests, then closing the database`);
	server.close(() => {
		// hooks.server listens for this to close the database cleanly (same event adapter-node emits).
		process.emit('sveltekit:shutdown', signal);
		setTimeout(() => process.exit(0), 500).unref();
	});
	server.closeIdleConnections?.();
	setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
