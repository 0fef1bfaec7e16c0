import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// why: the browser-journey suite builds into its own folders (LIEU_BUILD_DIR, LIEU_KIT_DIR) so that
		// two test runs, or a test run and a running server, never overwrite each other's build.
		adapter: adapter({ out: process.env.LIEU_BUILD_DIR ?? 'build' }),
		outDir: process.env.LIEU_KIT_DIR ?? '.svelte-kit'
	}
};
export default config;
