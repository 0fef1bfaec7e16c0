// `npm run bench:ledger`: runs bench/ledger.ts through tsx (see that file for what it measures).
import { register } from 'tsx/esm/api';

register({ tsconfig: false });
await import('../bench/ledger.ts');
process.exit(0);
