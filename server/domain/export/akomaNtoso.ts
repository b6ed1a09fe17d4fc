/**
 * Akoma Ntoso 3.0 (OASIS LegalDocML) export. The mapping is documented in docs/akoma-ntoso.md:
 * the framework is a `<doc name="objectivesFramework">`; objectives are `<hcontainer name="objective">`
 * and clauses `<clause>`, each with an `eId` derived from its stable id (so references survive
 * renumbering) and its number in `<num>`; brackets are `<inline name="bracket">`, and the
 * alternatives of one group point at the first with `alternativeTo`.
 */
import { escapeHtml as escapeXml } from './html';
import type { Segment } from './inline';
import { type ExportModel, type ExportThread, statusLabels } from './model';

/** The Akoma Ntoso 3.0 namespace. */
export const AKN_NAMESPACE = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';

/** An `eId` token from a stable id: only characters the naming convention allows. */
export function eIdToken(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '-');
}

/** The eId of a clause: `clause_<clause id>`, stable across moves and renumbering. */
export function clauseEId(clauseId: string | null, fallback: string): string {
  return `clause_${clauseId ? eIdToken(clauseId) : `n${eIdToken(fallback)}`}`;
}

/** The eId of an objective: `objective_<objective id>` (the hcontainer's name, then its id). */
export function objectiveEId(objectiveId: string | null, fallback: string): string {
  return `objective_${objectiveId ? eIdToken(objectiveId) : `n${eIdToken(fallback)}`}`;
}

/**
 * Inline content. Brackets become `<inline name="bracket">` with an eId under their container; in a
 * group of alternatives every alternative after the first carries `alternativeTo` = the first's eId.
 */
function inline(segments: readonly Segment[], container: string): string {
  let out = '';
  let counter = 0;
  const firstOfGroup = new Map<string, string>();
  for (const s of segments) {
    if (s.kind === 'open') {
      const eId = `${container}__inline_${++counter}`;
      let alt = '';
      if (s.alt !== null && s.group !== null) {
        const first = firstOfGroup.get(s.group);
        if (first) alt = ` alternativeTo="${escapeXml(first)}"`;
        else firstOfGroup.set(s.group, eId);
      }
      const refers = s.alt !== null ? ` refersTo="#alternative" title="Alt ${s.alt}"` : ' refersTo="#bracketed"';
      out += `<inline name="bracket" eId="${escapeXml(eId)}"${refers}${alt}>`;
      continue;
    }
    if (s.kind === 'close') {
      out += '</inline>';
      continue;
    }
    let text = escapeXml(s.text);
    if (s.bold) text = `<b>${text}</b>`;
    if (s.italic) text = `<i>${text}</i>`;
    if (s.change === 'inserted') text = `<ins>${text}</ins>`;
    if (s.change === 'deleted') text = `<del>${text}</del>`;
    if (s.href) text = `<a href="${escapeXml(s.href)}">${text}</a>`;
    out += text;
  }
  return out;
}

function notes(threads: readonly ExportThread[], eId: string): string {
  return threads
    .map(
      (t, i) =>
        `<authorialNote marker="${i + 1}" placement="bottom" eId="${escapeXml(`${eId}__authorialNote_${i + 1}`)}" refersTo="#openThread">${t.messages
          .map((m) => `<p>${escapeXml(m.author)}${m.affiliation ? ` (${escapeXml(m.affiliation)})` : ''}, ${escapeXml(m.at)}: ${escapeXml(m.text)}</p>`)
          .join('')}</authorialNote>`,
    )
    .join('');
}

/** The document as Akoma Ntoso 3.0 XML (well-formed, UTF-8). */
export function renderAkomaNtoso(model: ExportModel): string {
  const date = (model.version?.frozenAt ?? model.generatedAt).slice(0, 10);
  const work = `/akn/un/doc/objectivesFramework/${eIdToken(model.documentId)}`;
  const expression = `${work}/eng@${model.version ? `${date}!${eIdToken(model.version.label)}` : `${date}!live`}`;
  const statuses = new Set(model.objectives.flatMap((o) => o.clauses.map((c) => c.status)).filter((s) => s !== null));
  // Element order follows the Akoma Ntoso 3.0 schema's sequences: in an FRBRExpression,
  // FRBRversionNumber comes before FRBRlanguage (group exprProperties).
  const lines: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<akomaNtoso xmlns="${AKN_NAMESPACE}">`,
    '<doc name="objectivesFramework">',
    '<meta>',
    '<identification source="#accord">',
    `<FRBRWork><FRBRthis value="${work}/!main"/><FRBRuri value="${work}"/><FRBRdate date="${date}" name="${model.version ? 'frozen' : 'exported'}"/><FRBRauthor href="#secretariat"/><FRBRcountry value="un"/></FRBRWork>`,
    `<FRBRExpression><FRBRthis value="${expression}/!main"/><FRBRuri value="${expression}"/><FRBRdate date="${date}" name="${model.version ? 'frozen' : 'exported'}"/><FRBRauthor href="#secretariat"/>${model.version ? `<FRBRversionNumber value="${escapeXml(model.version.label)}"/>` : ''}<FRBRlanguage language="eng"/></FRBRExpression>`,
    `<FRBRManifestation><FRBRthis value="${expression}/!main.xml"/><FRBRuri value="${expression}.akn"/><FRBRdate date="${model.generatedAt.slice(0, 10)}" name="generated"/><FRBRauthor href="#accord"/></FRBRManifestation>`,
    '</identification>',
    '<references source="#accord">',
    '<TLCOrganization eId="accord" href="/ontology/organization/accord" showAs="Accord"/>',
    `<TLCOrganization eId="secretariat" href="/ontology/organization/secretariat" showAs="${escapeXml(`Secretariat of ${model.dialogue}`)}"/>`,
    '<TLCConcept eId="bracketed" href="/ontology/concept/accord/bracketed" showAs="Bracketed text"/>',
    '<TLCConcept eId="alternative" href="/ontology/concept/accord/alternative" showAs="Alternative wording"/>',
    '<TLCConcept eId="openThread" href="/ontology/concept/accord/openThread" showAs="Open comment thread"/>',
    ...[...statuses].map(
      (s) =>
        `<TLCConcept eId="status-${escapeXml(s)}" href="/ontology/concept/accord/clauseStatus/${escapeXml(s)}" showAs="${escapeXml(statusLabels[s] ?? s)}"/>`,
    ),
    '</references>',
    model.version
      ? `<proprietary source="#accord"><accord:version xmlns:accord="urn:accord:version" label="${escapeXml(model.version.label)}" frozenAt="${escapeXml(model.version.frozenAt)}" frozenBy="${escapeXml(model.version.frozenBy)}" sha256="${escapeXml(model.version.hash)}"${model.version.meeting ? ` meeting="${escapeXml(model.version.meeting)}"` : ''}/></proprietary>`
      : '',
    '</meta>',
    '<preface>',
    `<p><docTitle>${escapeXml(model.title)}</docTitle></p>`,
    model.version
      ? `<p><docStage>${escapeXml(model.version.label)}</docStage>${model.version.meeting ? ` — <session>${escapeXml(model.version.meeting)}</session>` : ''}</p>`
      : '<p><docStatus>Live draft</docStatus></p>',
    model.version ? `<p>SHA-256 <docNumber>${escapeXml(model.version.hash)}</docNumber></p>` : '',
    '</preface>',
  ];
  if (model.preamble.length > 0) {
    lines.push('<preamble>');
    model.preamble.forEach((p, i) => lines.push(`<p eId="preamble__p_${i + 1}">${inline(p, `preamble__p_${i + 1}`)}</p>`));
    lines.push('</preamble>');
  }
  lines.push('<mainBody>');
  for (const o of model.objectives) {
    const oId = objectiveEId(o.id, o.number);
    lines.push(`<hcontainer name="objective" eId="${escapeXml(oId)}"${o.id ? ` GUID="${escapeXml(o.id)}"` : ''}>`);
    lines.push(`<num>${escapeXml(o.number)}</num>`, `<heading>${inline(o.heading, `${oId}__heading`)}</heading>`);
    if (o.rationale) lines.push(`<intro><p>${inline(o.rationale, `${oId}__intro`)}</p></intro>`);
    for (const c of o.clauses) {
      const cId = clauseEId(c.id, c.number);
      const status = c.status ? ` refersTo="#status-${escapeXml(c.status)}"` : '';
      lines.push(
        `<clause eId="${escapeXml(cId)}"${c.id ? ` GUID="${escapeXml(c.id)}"` : ''}${status}><num>${escapeXml(c.number)}</num><content><p>${inline(c.content, cId)}${notes(c.threads, cId)}</p></content></clause>`,
      );
    }
    // The schema's `hierarchy` is either intro?, sub-levels*, wrapUp? or a lone content: an objective
    // without clauses keeps its rationale as intro, and only gets an empty content when it has nothing.
    if (o.clauses.length === 0 && !o.rationale) lines.push(`<content><p/></content>`);
    lines.push('</hcontainer>');
  }
  if (model.objectives.length === 0) lines.push('<p/>');
  lines.push('</mainBody>');
  const tail: string[] = [];
  if (model.documentThreads.length > 0) {
    tail.push(`<p>Open comments on the whole document${notes(model.documentThreads, 'conclusions')}</p>`);
  }
  if (model.annex) {
    tail.push(`<blockContainer eId="annex" class="recordOfConsultation"><p><b>${escapeXml(model.annex.title)}</b></p>`);
    model.annex.sections.forEach((s, i) => {
      tail.push(`<p eId="annex__p_${i + 1}"><b>${escapeXml(s.heading)}</b></p>`, ...s.paragraphs.map((p) => `<p>${escapeXml(p)}</p>`));
    });
    tail.push('</blockContainer>');
  }
  if (tail.length > 0) lines.push('<conclusions>', ...tail, '</conclusions>');
  lines.push('</doc>', '</akomaNtoso>');
  return `${lines.filter((l) => l !== '').join('\n')}\n`;
}
