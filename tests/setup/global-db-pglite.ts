import type { TestProject } from 'vitest/node';
import { setupTemplate } from './global-db';
export default (project: TestProject) => setupTemplate(project, 'pglite');
