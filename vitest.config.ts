import { defineConfig } from 'vitest/config';
import path from 'node:path';

// why: a time zone far from Paris with a 45-minute offset makes any forgotten time-zone handling fail loudly.
process.env.TZ = 'Asia/Kathmandu';

const alias = { $lib: path.resolve('src/lib') };
const dbFiles = ['src/**/*.db.test.ts', 'tests/db/**/*.test.ts'];
const pg = process.env.TEST_DATABASE_URL;

export default defineConfig({
	resolve: { alias },
	test: {
		projects: [
			{
				resolve: { alias },
				test: { name: 'unit', include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'], exclude: [...dbFiles, 'node_modules/**'], env: { TZ: 'Asia/Kathmandu' } }
			},
			{
				resolve: { alias },
				test: {
					name: 'db-pglite',
					include: dbFiles,
					globalSetup: ['tests/setup/global-db-pglite.ts'],
					env: { TZ: 'Asia/Kathmandu', LIEU_TEST_DB: 'pglite', LOG_LEVEL: 'silent', LIEU_RATE_LIMIT: 'on' },
					testTimeout: 60_000,
					hookTimeout: 60_000
				}
			},
			...(pg
				? [
						{
							resolve: { alias },
							test: {
								name: 'db-postgres',
								include: dbFiles,
								globalSetup: ['tests/setup/global-db-postgres.ts'],
								env: { TZ: 'Asia/Kathmandu', LIEU_TEST_DB: 'postgres', LOG_LEVEL: 'silent', LIEU_RATE_LIMIT: 'on' },
								testTimeout: 60_000,
								hookTimeout: 60_000
							}
						}
					]
				: []),
			{
				resolve: { alias },
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.e2e.test.ts'],
					globalSetup: ['tests/setup/global-e2e.ts'],
					env: { TZ: 'Asia/Kathmandu' },
					testTimeout: 120_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
});
