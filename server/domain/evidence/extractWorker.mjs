// Worker thread entry of `extractInWorker.ts`: parses one Word or PDF file away from the server's
// event loop. Plain JavaScript, so it starts without a TypeScript loader under any runner.
import { parentPort, workerData } from 'node:worker_threads';
import { BinaryTextError, docxToRawText, pdfToRawText } from './binaryText.mjs';

try {
  const { format, bytes, maxChars } = workerData;
  const result =
    format === 'docx'
      ? { text: await docxToRawText(bytes), title: null }
      : await pdfToRawText(bytes, (pages) => parentPort?.postMessage({ type: 'progress', pages }), maxChars);
  parentPort?.postMessage({ type: 'done', result: { text: result.text, title: result.title } });
} catch (err) {
  parentPort?.postMessage(
    err instanceof BinaryTextError
      ? { type: 'refused', reason: err.reason, message: err.message }
      : { type: 'failed', message: err instanceof Error ? err.message : String(err) },
  );
}
