import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
	plugins: [sveltekit()],
	server: { fs: { allow: ['drizzle'] } },
	ssr: {
		// why: PGlite loads its wasm/data files relative to its own module; keep it external.
		external: ['@electric-sql/pglite', 'pg', 'pino', 'nodemailer']
	}
});
