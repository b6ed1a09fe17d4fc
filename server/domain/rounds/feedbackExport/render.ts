import type { FeedbackFormat, FeedbackReport } from '@shared/rounds/feedback';
import type { ExportFile } from '../../export/render';
import { renderFeedbackCsv } from './csv';
import { renderFeedbackDocx } from './docx';
import { renderFeedbackHtml } from './html';
import { renderFeedbackMarkdown } from './markdown';

const encoder = new TextEncoder();

/** Renders a round's feedback report in `format`. */
export async function renderFeedback(format: FeedbackFormat, report: FeedbackReport): Promise<ExportFile> {
  switch (format) {
    case 'csv':
      return { body: encoder.encode(renderFeedbackCsv(report)), contentType: 'text/csv; charset=utf-8', extension: 'csv' };
    case 'md':
      return { body: encoder.encode(renderFeedbackMarkdown(report)), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    case 'html':
      return { body: encoder.encode(renderFeedbackHtml(report)), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'docx':
      return {
        body: await renderFeedbackDocx(report),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
  }
}
