// The version of Lieu, as written in package.json (archives and reports say which version made them).
import pkg from '../../../package.json';

export const LIEU_VERSION: string = pkg.version;
