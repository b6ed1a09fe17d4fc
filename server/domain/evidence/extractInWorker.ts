import { Worker } from 'node:worker_threads';
import { BinaryTextError } from './binaryText.mjs';
import { type BinaryParser, type ExtractedText, type ExtractProgress, extractText, ImportError } from './extractText';

/** How long one extraction may run before it is stopped (a hostile or pathological file). */
export const EXTRACT_TIMEOUT_MS = 120_000;
/** Heap a worker may use; a file that needs more is refused rather than slowing the server. */
const WORKER_HEAP_MB = 1024;

type WorkerMessage =
  | { type: 'progress'; pages: { done: number; total: number } }
  | { type: 'done'; result: { text: string; title: string | null } }
  | { type: 'refused'; reason: BinaryTextError['reason']; message: string }
  | { type: 'failed'; message: string };

/**
 * Parses a Word or PDF file in a worker thread (`extractWorker.mjs`), so that a large file never holds
 * up the server's event loop — collaboration, saving and every other request go on meanwhile. The
 * worker is stopped after `timeoutMs` or when it exceeds its memory allowance; both refuse the file.
 */
export function parseInWorker({ timeoutMs = EXTRACT_TIMEOUT_MS }: { timeoutMs?: number } = {}): BinaryParser {
  return (format, bytes, onProgress, maxChars) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./extractWorker.mjs', import.meta.url), {
        workerData: { format, bytes, maxChars },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        finish();
        void worker.terminate();
      };
      const timer = setTimeout(
        () =>
          settle(() =>
            reject(
              new ImportError(
                422,
                'unreadable_file',
                'Reading this file took too long; it may be damaged. Save it again, or paste its text by hand.',
              ),
            ),
          ),
        timeoutMs,
      );
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'progress':
            onProgress?.(message.pages);
            return;
          case 'done':
            settle(() => resolve(message.result));
            return;
          case 'refused':
            settle(() => reject(new BinaryTextError(message.reason, message.message)));
            return;
          case 'failed':
            settle(() => reject(new Error(`Text extraction failed: ${message.message}`)));
            return;
        }
      });
      worker.on('error', (err) => {
        const outOfMemory = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        settle(() =>
          reject(
            outOfMemory
              ? new ImportError(422, 'unreadable_file', 'This file needs too much memory to read; it may be damaged or far too complex.')
              : err,
          ),
        );
      });
      worker.on('exit', (code) => settle(() => reject(new Error(`The text extraction worker stopped (exit code ${code}).`))));
    });
}

const inWorker = parseInWorker();

/** `extractText` with Word and PDF parsing in a worker thread: what the import route uses. */
export function extractTextInWorker(
  bytes: Uint8Array,
  file: { filename: string; mediaType: string },
  onProgress?: ExtractProgress,
): Promise<ExtractedText> {
  return extractText(bytes, file, onProgress, inWorker);
}
