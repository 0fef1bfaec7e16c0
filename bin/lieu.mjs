#!/usr/bin/env node
// `lieu`: the operators' command line (see docs/cli.md). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

// why: our own settings, not a tsconfig found in the working folder (which may not exist, or be another project's).
register({ tsconfig: false });
const debug = process.env.LIEU_DEBUG === '1' || process.env.LIEU_DEBUG === 'true';
let code;
try {
	const { main } = await import('../src/cli/index.ts');
	code = await main(process.argv.slice(2), {
		stdout: (s) => process.stdout.write(s),
		stderr: (s) => process.stderr.write(s),
		vars: process.env
	});
} catch (e) {
	process.stderr.write(`lieu: ${debug ? (e?.stack ?? e) : (e?.message ?? e)}\n`);
	code = 1;
}
// why: PGlite and pg pools may keep the event loop alive for a while; the work is done, leave now
// (after stdout has been flushed).
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
