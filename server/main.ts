import { startAccord } from './accord';
import { loadConfig } from './config';
import { createLogger } from './logger';

/** Entry point: configuration → Accord → listen; stops cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
  const logger = createLogger(config);
  const accord = await startAccord(config, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await accord.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Client input never reaches here (every socket handler catches); this is the last line of defence.
  process.on('uncaughtException', (err) => logger.fatal({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

void main().catch((err: unknown) => {
  console.error('Accord failed to start:', err);
  process.exit(1);
});
