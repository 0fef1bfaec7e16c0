import { apiNotFound } from '$lib/server/http/api';

// Any path under /api/v1 that no route has, whatever the method: a JSON 404 (not the HTML error page).
export const fallback = apiNotFound;
