import { bracketText, type Segment } from './inline';
import { type ExportModel, type ExportThread, formatTime, provenanceLines, statusLabels } from './model';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function inline(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      if (s.kind === 'open') {
        return `<span class="bracket"${s.alt !== null ? ` data-alt="${s.alt}"` : ''}><b class="bm">${escapeHtml(bracketText(s))}</b>`;
      }
      if (s.kind === 'close') return '<b class="bm">]</b></span>';
      let out = escapeHtml(s.text);
      if (s.bold) out = `<strong>${out}</strong>`;
      if (s.italic) out = `<em>${out}</em>`;
      if (s.change === 'inserted') out = `<ins>${out}</ins>`;
      if (s.change === 'deleted') out = `<del>${out}</del>`;
      if (s.href) out = `<a href="${escapeHtml(s.href)}" rel="noopener noreferrer nofollow">${out}</a>`;
      return out;
    })
    .join('');
}

function threadsHtml(threads: readonly ExportThread[]): string {
  if (threads.length === 0) return '';
  return `<aside class="threads">${threads
    .map(
      (t) =>
        `<div class="thread">${t.quote ? `<blockquote>${escapeHtml(t.quote)}</blockquote>` : ''}${t.messages
          .map(
            (m) =>
              `<p><strong>${escapeHtml(m.author)}</strong>${m.affiliation ? ` (${escapeHtml(m.affiliation)})` : ''} <time datetime="${escapeHtml(m.at)}">${escapeHtml(formatTime(m.at))}</time>: ${escapeHtml(m.text)}</p>`,
          )
          .join('')}</div>`,
    )
    .join('')}</aside>`;
}

const style = `
body{font:16px/1.55 Georgia,"DejaVu Serif",serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.7rem;margin-bottom:.4rem}
.provenance{font:13px/1.5 system-ui,sans-serif;color:#57606a;border-left:3px solid #d0d7de;padding-left:.8rem;margin-bottom:2rem;word-break:break-all}
h2{font-size:1.2rem;margin-top:2rem}
.rationale{font-style:italic;color:#57606a}
.clause{display:flex;gap:.8rem}
.clause .num{font-weight:700;min-width:3.2rem;flex-shrink:0}
.status{font:12px system-ui,sans-serif;color:#57606a;border:1px solid #d0d7de;border-radius:1em;padding:0 .5em;margin-left:.4em;white-space:nowrap}
.bracket{background:#fff4d6}.bm{color:#9a6700}
ins{text-decoration:underline;color:#1a7f37}del{color:#cf222e}
.threads{margin:0 0 1rem 4rem;font-size:.9rem;color:#424a53}
.thread{border-left:2px solid #d0d7de;padding-left:.6rem;margin:.4rem 0}
.thread blockquote{margin:0;font-style:italic}
.annex{page-break-before:always;margin-top:3rem}
`;

/** The document as a standalone HTML page (one file, styles inline, no scripts). */
export function renderHtml(model: ExportModel): string {
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(model.version ? `${model.title} — ${model.version.label}` : model.title)}</title>`,
    model.version ? `<meta name="accord-version-hash" content="${escapeHtml(model.version.hash)}">` : '',
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    `<article data-document-id="${escapeHtml(model.documentId)}">`,
    `<h1>${escapeHtml(model.title)}</h1>`,
    `<div class="provenance">${provenanceLines(model).map((l) => `<div>${escapeHtml(l)}</div>`).join('')}</div>`,
  ];
  if (model.preamble.length > 0) {
    parts.push(`<section class="preamble">${model.preamble.map((p) => `<p>${inline(p)}</p>`).join('')}</section>`);
  }
  for (const o of model.objectives) {
    parts.push(`<section class="objective"${o.id ? ` id="objective-${escapeHtml(o.id)}"` : ''}>`);
    parts.push(`<h2>${escapeHtml(o.number)}. ${inline(o.heading)}</h2>`);
    if (o.rationale) parts.push(`<p class="rationale">${inline(o.rationale)}</p>`);
    for (const c of o.clauses) {
      const status = c.status ? `<span class="status">${escapeHtml(statusLabels[c.status] ?? c.status)}</span>` : '';
      parts.push(
        `<p class="clause"${c.id ? ` id="clause-${escapeHtml(c.id)}"` : ''}><span class="num">${escapeHtml(c.number)}</span><span class="text">${inline(c.content)}${status}</span></p>`,
      );
      parts.push(threadsHtml(c.threads));
    }
    parts.push('</section>');
  }
  if (model.documentThreads.length > 0) {
    parts.push(`<section><h2>Open comments on the whole document</h2>${threadsHtml(model.documentThreads)}</section>`);
  }
  if (model.annex) {
    parts.push(`<section class="annex"><h2>Annex: ${escapeHtml(model.annex.title)}</h2>`);
    for (const s of model.annex.sections) {
      parts.push(`<h3>${escapeHtml(s.heading)}</h3>${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}`);
    }
    parts.push('</section>');
  }
  parts.push('</article>', '</body>', '</html>');
  return `${parts.filter((p) => p !== '').join('\n')}\n`;
}
