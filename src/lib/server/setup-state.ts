import type { Db } from './db/client';
import { countPlaces } from '../modules/places/queries.server';

let done = false;

/** Whether first-run setup happened (memoised once true: places are never all deleted). */
export async function isSetupDone(db: Db): Promise<boolean> {
	if (done) return true;
	done = (await countPlaces(db)) > 0;
	return done;
}

/** Test hook. */
export function resetSetupState() {
	done = false;
}
