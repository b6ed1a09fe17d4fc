import type { FeedbackReport, FeedbackThread } from '@shared/rounds/feedback';
import { clauseHeading } from '@shared/rounds/feedback';
import { escapeHtml } from '../../export/html';
import { carriedLine, formatTime, personLabel, placeOf, reportProvenance, summaryLine } from './text';

const style = `
body{font:15px/1.5 Georgia,'DejaVu Serif',serif;max-width:50rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}h3{font-size:1.05rem;margin-bottom:.3rem}
.meta{color:#57606a;font-size:.85rem;margin:0}.summary{font-weight:bold}
blockquote{margin:.2rem 0 .6rem;padding-left:.8rem;border-left:3px solid #d0d7de;color:#57606a}
.thread{margin:.5rem 0 .8rem;padding:.5rem .8rem;border:1px solid #d0d7de;border-radius:6px}
.thread p{margin:.2rem 0}.reply{margin-left:1rem}.who{font-weight:bold}.when,.place{color:#57606a;font-size:.85rem}
.wording{background:#dafbe1;padding:0 .2rem}.carried{color:#1a7f37;font-size:.85rem}.resolved{color:#57606a;font-size:.85rem}
`;

function text(value: string): string {
  return escapeHtml(value).replace(/\n/g, '<br>');
}

function thread(t: FeedbackThread, withPlace: boolean): string {
  const [first, ...replies] = t.comments;
  const head = [
    withPlace ? `<span class="place">${escapeHtml(placeOf(t))}</span> · ` : '',
    `<span class="who">${escapeHtml(personLabel(t.givenBy))}</span> `,
    `<time class="when" datetime="${escapeHtml(t.givenAt)}">${escapeHtml(formatTime(t.givenAt))}</time>`,
    t.status === 'resolved' ? ' <span class="resolved">(resolved)</span>' : '',
  ].join('');
  const parts = [`<div class="thread" data-thread-id="${escapeHtml(t.id)}">`, `<p>${head}</p>`];
  if (t.quote) parts.push(`<blockquote>${text(t.quote)}</blockquote>`);
  if (first) {
    parts.push(`<p>${text(first.text)}</p>`);
    if (first.proposedWording !== null) parts.push(`<p>Proposed wording: <span class="wording">${text(first.proposedWording)}</span></p>`);
  }
  for (const r of replies) {
    const wording = r.proposedWording !== null ? ` Proposed wording: <span class="wording">${text(r.proposedWording)}</span>` : '';
    parts.push(
      `<p class="reply">↳ <span class="who">${escapeHtml(personLabel(r.author))}</span> <span class="when">${escapeHtml(formatTime(r.at))}</span>: ${text(r.text)}${wording}</p>`,
    );
  }
  const carried = carriedLine(t);
  if (carried) parts.push(`<p class="carried">✓ ${escapeHtml(carried)}</p>`);
  parts.push('</div>');
  return parts.join('');
}

/** The feedback report as one standalone HTML file (styles inline, no scripts, every text escaped). */
export function renderFeedbackHtml(report: FeedbackReport): string {
  const out = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(`Feedback report — ${report.round.title}`)}</title>`,
    `<meta name="accord-version-hash" content="${escapeHtml(report.version.hash)}">`,
    `<style>${style}</style></head><body>`,
    `<h1>Feedback report — ${escapeHtml(report.round.title)}</h1>`,
    ...reportProvenance(report).map((line) => `<p class="meta">${escapeHtml(line)}</p>`),
    `<p class="summary">${escapeHtml(summaryLine(report))}</p>`,
    '<h2>By clause</h2>',
  ];
  if (report.byClause.length === 0) out.push('<p>No feedback.</p>');
  for (const group of report.byClause) {
    out.push(`<section><h3>${escapeHtml(clauseHeading(group.number, group.clauseId))}</h3>`);
    if (group.text) out.push(`<blockquote>${text(group.text)}</blockquote>`);
    out.push(...group.threads.map((t) => thread(t, false)), '</section>');
  }
  out.push('<h2>By country</h2>');
  if (report.byCountry.length === 0) out.push('<p>No validators yet.</p>');
  for (const group of report.byCountry) {
    out.push(`<section><h3>${escapeHtml(group.country)}</h3>`);
    out.push(`<p class="meta">Validators: ${group.validators.map((v) => `${escapeHtml(v.name)} (${v.threads})`).join(', ')}</p>`);
    if (group.threads.length === 0) out.push('<p>No feedback from this country.</p>');
    out.push(...group.threads.map((t) => thread(t, true)), '</section>');
  }
  out.push('</body></html>');
  return `${out.join('\n')}\n`;
}
