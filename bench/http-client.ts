// The benchmarks' HTTP client: node:http with a keep-alive agent (the lightest client Node has), so the figures
// measure the server's work rather than the client's. In Node 20, fetch (undici) costs about 1 ms more per request
// than node:http on the same socket, and in these benchmarks client and server share one process and its CPU.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export interface HttpReply {
	status: number;
	text: string;
}

/** One request; resolves with the status and the body as text. */
export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpReply> {
	const u = new URL(url);
	const headers: Record<string, string> = { ...opts.headers };
	if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
	return new Promise((resolve, reject) => {
		const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: opts.method ?? 'GET', headers, agent }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(opts.body);
	});
}

/** Closes the agent's idle sockets (at the end of a run). */
export function closeClient(): void {
	agent.destroy();
}
