import pino from 'pino';
import { env } from './env';

let logger: pino.Logger | undefined;

/** The structured logger (pino, JSON lines on stdout). */
export function log(): pino.Logger {
	if (!logger) logger = pino({ level: env().LOG_LEVEL, base: { app: 'lieu' }, redact: ['req.headers.cookie', 'req.headers.authorization', 'password'] });
	return logger;
}
