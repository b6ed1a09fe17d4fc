import { resolve } from 'node:path';
import { z } from 'zod';

const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  ACCORD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  ACCORD_DEMO: boolFlag.default(true),
  /** Comma-separated origins allowed besides the server's own host (e.g. a dev server). */
  ACCORD_ORIGINS: z.string().default(''),
  /** Serve cookies with `Secure` (set when Accord runs behind TLS). Auto-detected per request too. */
  ACCORD_SECURE_COOKIES: boolFlag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Milliseconds an idle document (no connection) stays loaded before it is unloaded. */
  ACCORD_UNLOAD_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  /** Milliseconds over which a busy document's outgoing updates are merged into one message. */
  ACCORD_BROADCAST_TICK_MS: z.coerce.number().int().min(0).max(100).default(5),
  /** Where the built client lives; served at `/`. */
  ACCORD_CLIENT_DIR: z.string().default('./dist/client'),
});

/** Accord's configuration, read once at start from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  seedDemo: boolean;
  allowedOrigins: string[];
  secureCookies: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  unloadAfterMs: number;
  broadcastTickMs: number;
  clientDir: string;
}

/** Reads and validates the configuration; throws one error listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.ACCORD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    seedDemo: e.ACCORD_DEMO,
    allowedOrigins: e.ACCORD_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    secureCookies: e.ACCORD_SECURE_COOKIES,
    logLevel: e.LOG_LEVEL,
    unloadAfterMs: e.ACCORD_UNLOAD_AFTER_MS,
    broadcastTickMs: e.ACCORD_BROADCAST_TICK_MS,
    clientDir: resolve(e.ACCORD_CLIENT_DIR),
  };
}
