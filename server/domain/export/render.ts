import type { ExportFormat } from '@shared/api/versions';
import { renderAkomaNtoso } from './akomaNtoso';
import { renderDocx } from './docx';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { ExportModel } from './model';
import { renderPdf } from './pdf';

/** A rendered export file. */
export interface ExportFile {
  body: Uint8Array;
  contentType: string;
  extension: string;
}

const encoder = new TextEncoder();

/** Renders the model in `format`. */
export async function renderExport(format: ExportFormat, model: ExportModel): Promise<ExportFile> {
  switch (format) {
    case 'docx':
      return {
        body: await renderDocx(model),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: 'docx',
      };
    case 'pdf':
      return { body: await renderPdf(model), contentType: 'application/pdf', extension: 'pdf' };
    case 'md':
      return { body: encoder.encode(renderMarkdown(model)), contentType: 'text/markdown; charset=utf-8', extension: 'md' };
    case 'html':
      return { body: encoder.encode(renderHtml(model)), contentType: 'text/html; charset=utf-8', extension: 'html' };
    case 'akn':
      return { body: encoder.encode(renderAkomaNtoso(model)), contentType: 'application/akn+xml; charset=utf-8', extension: 'akn.xml' };
  }
}
