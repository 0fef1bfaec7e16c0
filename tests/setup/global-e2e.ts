// Global setup of the browser journeys: checks Chromium is there and builds the app once, into a folder of
// this run's own (so parallel runs and a running dev server never share a build).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { chromiumPath } from '../e2e/harness';

export default function setup(project: TestProject) {
	if (!chromiumPath()) throw new Error('E2E suite cannot run: Chromium not found (apt-get install chromium, or set CHROMIUM_PATH).');
	const root = path.resolve('.e2e-builds', String(process.pid));
	const buildDir = path.join(root, 'build');
	const kitDir = path.join(root, 'kit');
	const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error'], {
		stdio: 'inherit',
		env: { ...process.env, LIEU_BUILD_DIR: buildDir, LIEU_KIT_DIR: kitDir }
	});
	if (r.status !== 0 || !fs.existsSync(path.join(buildDir, 'handler.js'))) throw new Error('E2E suite cannot run: the app did not build.');
	project.provide('buildDir', buildDir);
	return () => fs.rmSync(root, { recursive: true, force: true });
}

declare module 'vitest' {
	export interface ProvidedContext {
		buildDir: string;
	}
}
