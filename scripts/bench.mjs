// `npm run bench`: measures Lieu against a bare node:http server serving the very same bytes, in one run,
// and reports RATIOS (Lieu ÷ bare): absolute requests/s depend on the machine, ratios much less.
//
//   1. builds the app if needed, starts it (node scripts/start.mjs) on a fresh PGlite folder in /tmp
//      (or on BENCH_DATABASE_URL: an EMPTY PostgreSQL database), and sets a place up through the setup form;
//   2. fetches each benchmarked page once and starts bench/bare-server.mjs, which answers the same path
//      with the same status, headers and body;
//   3. for each page: warm-up on both, then autocannon runs interleaved (Lieu, bare, bare, Lieu, …);
//   4. prints the figures and appends a dated section to bench/RESULTS.md (unless --no-record).
//
// Options (or env BENCH_*): --duration=5 (seconds per run), --rounds=2 (runs per target, interleaved),
// --connections=50, --warmup=3 (seconds), --only=home,login, --no-record.
// Both servers run on 127.0.0.1 only; each run is bounded in time.
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { spawn, execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { needsBuild, build } from './build-if-needed.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
	process.argv.slice(2).map((a) => {
		const [k, v] = a.replace(/^--/, '').split('=');
		return [k, v ?? 'true'];
	})
);
const opt = (name, def) => Number(args[name] ?? process.env[`BENCH_${name.toUpperCase()}`] ?? def);
const DURATION = opt('duration', 5);
const ROUNDS = opt('rounds', 2);
const CONNECTIONS = opt('connections', 50);
const WARMUP = opt('warmup', 3);
const RECORD = args['no-record'] !== 'true';

/** The pages measured, in order. The first figure is the home page of a set-up place. */
const SCENARIOS = [
	{ key: 'home', path: '/', label: 'Home page of a set-up place (visitor, not signed in)', expect: 'La Fabrique' },
	{ key: 'login', path: '/login', label: 'Sign-in page (two forms, visitor)', expect: 'form' }
].filter((s) => !args.only || args.only.split(',').includes(s.key));

const children = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lieu-bench-'));
function cleanup() {
	for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
	fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
		s.on('error', reject);
	});
}

/** GET without decompression or redirects: the raw status, headers and bytes. */
function rawGet(url) {
	return new Promise((resolve, reject) => {
		http
			.get(url, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
			})
			.on('error', reject);
	});
}

async function waitFor(url, proc, logFile, timeoutMs = 90_000) {
	const t0 = Date.now();
	for (;;) {
		if (proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}); log: ${logFile}\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
		try {
			const r = await rawGet(url);
			if (r.status === 200) return;
		} catch {
			/* not yet */
		}
		if (Date.now() - t0 > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms; log: ${logFile}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

function start(script, scriptArgs, env, name) {
	const logFile = path.join(tmp, `${name}.log`);
	const fd = fs.openSync(logFile, 'a');
	const proc = spawn(process.execPath, [script, ...scriptArgs], { cwd: root, env, stdio: ['ignore', fd, fd] });
	children.push(proc);
	return { proc, logFile };
}

function run(url, duration) {
	return autocannon({ url, connections: CONNECTIONS, duration, timeout: 10 });
}

const summarise = (results) => {
	const requests = results.reduce((n, r) => n + r.requests.total, 0);
	const seconds = results.reduce((n, r) => n + r.duration, 0);
	return {
		rps: requests / seconds,
		// why: percentiles do not add up across runs; the worse run's p99 is the honest single figure.
		p99: Math.max(...results.map((r) => r.latency.p99)),
		p50: results.reduce((n, r) => n + r.latency.p50, 0) / results.length,
		requests,
		non2xx: results.reduce((n, r) => n + r.non2xx, 0),
		errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
		perRun: results.map((r) => Math.round(r.requests.total / r.duration))
	};
};

// ---- 1. the app ---------------------------------------------------------------------------------
// LIEU_BUILD_DIR: measure an existing build (start.mjs then serves it as is).
if (!process.env.LIEU_BUILD_DIR && needsBuild()) build();
const dbUrl = process.env.BENCH_DATABASE_URL;
const appPort = await freePort();
const appUrl = `http://127.0.0.1:${appPort}`;
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
const app = start(
	'scripts/start.mjs',
	[],
	{
		...process.env,
		PORT: String(appPort),
		HOST: '127.0.0.1',
		LIEU_BASE_URL: appUrl,
		LOG_LEVEL: logLevel,
		NODE_ENV: 'production',
		...(dbUrl ? { DATABASE_URL: dbUrl } : { LIEU_DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: '' })
	},
	'lieu'
);
console.log(`[bench] starting Lieu on ${appUrl} (${dbUrl ? 'PostgreSQL' : 'PGlite'}, LOG_LEVEL=${logLevel})…`);
await waitFor(`${appUrl}/healthz`, app.proc, app.logFile);

const setup = await fetch(`${appUrl}/setup?/create`, {
	method: 'POST',
	headers: { origin: appUrl, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams({ name: 'La Fabrique', slug: 'la-fabrique', timezone: 'Europe/Paris', legalForm: 'scic', address: '12 rue des Ateliers, 69007 Lyon', adminName: 'Bench Admin', adminEmail: 'bench@lieu.test', adminPassword: 'une phrase de banc d’essai' }),
	redirect: 'manual'
});
if (setup.status !== 303) {
	const body = await setup.text();
	if (!/setup_done|déjà configuré/.test(body)) throw new Error(`setup failed (${setup.status}): ${body.slice(0, 500)}`);
	console.log('[bench] the database already holds a set-up instance: measuring it as it is.');
}

// ---- 2. the same bytes, served bare ------------------------------------------------------------
const pages = {};
for (const s of SCENARIOS) {
	const r = await rawGet(appUrl + s.path);
	if (r.status !== 200) throw new Error(`${s.path} answered ${r.status}, expected 200 (is the place set up?)`);
	if (!r.body.toString('utf8').includes(s.expect)) throw new Error(`${s.path} does not contain "${s.expect}"`);
	const headers = { ...r.headers };
	for (const h of ['date', 'connection', 'keep-alive', 'transfer-encoding']) delete headers[h];
	pages[s.path] = { status: r.status, headers, body: r.body.toString('base64') };
	s.bytes = r.body.length;
}
const pagesFile = path.join(tmp, 'pages.json');
fs.writeFileSync(pagesFile, JSON.stringify(pages));
const barePort = await freePort();
const bareUrl = `http://127.0.0.1:${barePort}`;
const bare = start('bench/bare-server.mjs', [pagesFile, String(barePort)], process.env, 'bare');
await waitFor(`${bareUrl}/`, bare.proc, bare.logFile);
for (const s of SCENARIOS) {
	const [a, b] = await Promise.all([rawGet(appUrl + s.path), rawGet(bareUrl + s.path)]);
	if (a.body.length !== b.body.length) console.log(`[bench] note: ${s.path} body length differs (${a.body.length} vs ${b.body.length}); the page may vary per request.`);
}

// ---- 3. measure --------------------------------------------------------------------------------
const loadBefore = os.loadavg()[0];
const figures = [];
for (const s of SCENARIOS) {
	console.log(`[bench] ${s.label}: warm-up ${WARMUP} s each, then ${ROUNDS} × ${DURATION} s each, ${CONNECTIONS} connections, interleaved`);
	await run(appUrl + s.path, WARMUP);
	await run(bareUrl + s.path, WARMUP);
	const lieu = [];
	const base = [];
	for (let i = 0; i < ROUNDS; i++) {
		// why: alternate which target goes first (A B B A …) so a slow drift of the machine hits both alike.
		const order = i % 2 === 0 ? ['lieu', 'bare'] : ['bare', 'lieu'];
		for (const who of order) {
			const r = await run((who === 'lieu' ? appUrl : bareUrl) + s.path, DURATION);
			(who === 'lieu' ? lieu : base).push(r);
			process.stdout.write(`  ${who.padEnd(4)} run ${i + 1}: ${Math.round(r.requests.total / r.duration)} req/s, p99 ${r.latency.p99} ms\n`);
		}
	}
	const L = summarise(lieu);
	const B = summarise(base);
	figures.push({ ...s, lieu: L, bare: B, rpsRatio: L.rps / B.rps, p99Ratio: L.p99 / Math.max(B.p99, 1) });
}

// ---- 4. report ---------------------------------------------------------------------------------
const cpus = os.cpus();
let commit = '';
try {
	commit = execSync('git rev-parse --short HEAD', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
	const dirty = execSync('git status --porcelain --untracked-files=no -- src drizzle scripts', { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
	if (dirty) commit += ' + uncommitted changes';
} catch {
	/* not a git checkout */
}
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const now = new Date();
const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
const lines = [
	`## ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC${commit ? ` — commit ${commit}` : ''}`,
	'',
	`- Machine: ${cpus.length} CPUs (${cpus[0]?.model?.trim() ?? 'unknown'}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
	`- Load average (1 min) before / after: ${fmt(loadBefore, 1)} / ${fmt(os.loadavg()[0], 1)}${loadBefore > cpus.length ? ' — the machine was busy with other work: absolute figures are low, ratios are noisier' : ''}`,
	`- Database: ${dbUrl ? 'PostgreSQL (BENCH_DATABASE_URL)' : 'PGlite (embedded, temp folder)'}; Lieu LOG_LEVEL=${logLevel}, NODE_ENV=production`,
	`- Command: \`${command}\` — ${CONNECTIONS} connections, warm-up ${WARMUP} s per target, then ${ROUNDS} runs × ${DURATION} s per target, interleaved; autocannon, Lieu and the bare server each in its own process on 127.0.0.1`,
	'',
	'| Page | Bytes | Lieu req/s | Bare req/s | **req/s ratio** (Lieu ÷ bare) | Lieu p50 / p99 ms | Bare p50 / p99 ms | **p99 ratio** (Lieu ÷ bare) | Non-2xx / errors (Lieu, bare) |',
	'|---|---:|---:|---:|---:|---:|---:|---:|---:|',
	...figures.map(
		(f) =>
			`| ${f.label} \`${f.path}\` | ${fmt(f.bytes)} | ${fmt(f.lieu.rps)} | ${fmt(f.bare.rps)} | **${fmt(f.rpsRatio, 3)}** | ${fmt(f.lieu.p50, 1)} / ${fmt(f.lieu.p99)} | ${fmt(f.bare.p50, 1)} / ${fmt(f.bare.p99)} | **${fmt(f.p99Ratio, 1)}** | ${f.lieu.non2xx + f.lieu.errors}, ${f.bare.non2xx + f.bare.errors} |`
	),
	'',
	`Per-run req/s: ${figures.map((f) => `${f.key}: Lieu ${f.lieu.perRun.join(', ')}; bare ${f.bare.perRun.join(', ')}`).join(' — ')}.`,
	''
];
const report = lines.join('\n');
console.log('\n' + report);
const bad = figures.filter((f) => f.lieu.non2xx + f.lieu.errors > 0 || f.bare.non2xx + f.bare.errors > 0);
if (bad.length) console.log(`[bench] WARNING: non-2xx answers or errors on ${bad.map((f) => f.path).join(', ')}: the figures are not clean.`);
if (RECORD) {
	const file = path.join(root, 'bench', 'RESULTS.md');
	if (!fs.existsSync(file)) fs.writeFileSync(file, '# Benchmark results\n\nAppended by `npm run bench` (see bench/README.md). Compare ratios, not absolute figures, across machines.\n\n');
	fs.appendFileSync(file, report + '\n');
	console.log(`[bench] appended to ${path.relative(process.cwd(), file)}`);
}
// The till journal figures (bench/ledger.ts) follow, unless only pages were asked: on PostgreSQL when
// BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a throwaway database is created there), else PGlite.
if (!args.only && args.ledger !== 'false') {
	cleanup();
	const ledgerArgs = [path.join(root, 'scripts/bench-ledger.mjs'), ...(RECORD ? [] : ['--no-record'])];
	const r = (await import('node:child_process')).spawnSync(process.execPath, ledgerArgs, { stdio: 'inherit', env: { ...process.env, ...(dbUrl ? { BENCH_DATABASE_URL: dbUrl } : {}) } });
	process.exit(r.status ?? 1);
}
process.exit(0);
