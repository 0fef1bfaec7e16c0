// `npm run bench:booking`: runs bench/booking.ts through tsx (see that file for what it measures).
import { register } from 'tsx/esm/api';

// why: the API route modules import $lib/…: tsx resolves it through the paths of SvelteKit's generated tsconfig.
register({ tsconfig: './tsconfig.json' });
await import('../bench/booking.ts');
process.exit(0);
