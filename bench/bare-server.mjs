// The bare baseline of `npm run bench`: a plain node:http server that answers each captured path with the
// exact bytes and headers Lieu sent for it (no routing, no rendering, no database). Run in its own process
// so it gets a core of its own, like the app.
// Usage: node bench/bare-server.mjs <pages.json> <port>
import fs from 'node:fs';
import http from 'node:http';

const [file, port] = process.argv.slice(2);
/** @type {Record<string, { status: number; headers: Record<string, string | string[]>; body: string }>} */
const pages = JSON.parse(fs.readFileSync(file, 'utf8'));
const routes = new Map(Object.entries(pages).map(([p, v]) => [p, { status: v.status, headers: v.headers, body: Buffer.from(v.body, 'base64') }]));

const server = http.createServer((req, res) => {
	const page = routes.get(req.url ?? '/');
	if (!page) {
		res.writeHead(404).end();
		return;
	}
	res.writeHead(page.status, page.headers);
	res.end(page.body);
});
server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
