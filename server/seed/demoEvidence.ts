import type { EvidenceRelation, ReportKind } from '@shared/api/evidence';
import type { Store } from '../store/db';
import { EvidenceLibrary } from '../store/evidenceLibrary';
import { EvidenceLinks } from '../store/evidenceLinks';
import { demoClauseIds } from './demoContent';

/**
 * The demo dialogue's evidence library: consultation reports from fictional countries and regions,
 * written for Accord, with excerpts linked to clauses of the demo framework. Some clauses rest on no
 * consultation (2.4, 4.4, 5.2, 5.3) and one report (the Lake Sorrel expert note) is cited by no
 * clause, so that the coverage view has something to show on both sides.
 */

interface DemoExcerpt {
  /** Exactly as it appears in the report text; its offsets are found there. */
  quote: string;
  themes: string[];
  /** Clause number → relation (and an optional note). */
  links: { clause: string; relation: EvidenceRelation; note?: string }[];
}

interface DemoReport {
  country: string;
  kind: ReportKind;
  focalPoint: string;
  date: string;
  title: string;
  text: string;
  excerpts: DemoExcerpt[];
}

/** The demo reports (fictional countries and consultations). */
export const demoReports: readonly DemoReport[] = [
  {
    country: 'Veloria',
    kind: 'national_consultation',
    focalPoint: 'Ministry of Interior and Local Government, Office of the National Dialogue',
    date: '2029-03-14',
    title: 'Veloria national consultation: listening sessions in eleven provinces',
    text: `Between January and March, the Office of the National Dialogue held listening sessions in eleven of Veloria's fourteen provinces, meeting 2,340 participants in town halls, schools and market squares. Sessions were held in Velorian and in the two regional languages, and a third of them took place outside provincial capitals.

Participants returned again and again to the question of who sits at the table. Women's associations in the northern provinces said that the 2024 peace talks had been decided by "the same forty men", and that nothing agreed in that room had reached their villages. Young people asked for a guaranteed place in any future dialogue, not an invitation that could be withdrawn. Displaced families in the Arvel valley asked to be consulted in the camps where they live rather than summoned to the capital.

Many participants distrusted lists of delegates drawn up behind closed doors. A recurring proposal was that the rules for choosing participants be published before any process begins, and in every language spoken in the country, so that communities can check whether they have been left out.

On institutions, the sessions were blunt. Courts were described as slow and beholden to whoever governs; several speakers had waited years for a ruling on land taken during the crisis. Participants asked for judges who cannot be removed for an unwelcome decision. At the same time, a number of provincial officials warned that guaranteeing tenure to judges appointed during the emergency period would lock in appointments many consider partisan.

Finally, participants wanted to see the money. Budget documents, they said, are published late, in formats that only specialists can read, and never at the level of the district. Publishing budgets openly and quickly was seen as the single most convincing sign that the transition had changed how the state works.`,
    excerpts: [
      {
        quote:
          'Women\'s associations in the northern provinces said that the 2024 peace talks had been decided by "the same forty men", and that nothing agreed in that room had reached their villages.',
        themes: ['inclusion', 'women'],
        links: [{ clause: '1.1', relation: 'supports' }],
      },
      {
        quote:
          'Displaced families in the Arvel valley asked to be consulted in the camps where they live rather than summoned to the capital.',
        themes: ['displacement', 'inclusion'],
        links: [{ clause: '1.1', relation: 'supports', note: 'Names displaced persons explicitly.' }],
      },
      {
        quote:
          'A recurring proposal was that the rules for choosing participants be published before any process begins, and in every language spoken in the country, so that communities can check whether they have been left out.',
        themes: ['transparency', 'inclusion'],
        links: [{ clause: '1.2', relation: 'supports' }],
      },
      {
        quote: 'Participants asked for judges who cannot be removed for an unwelcome decision.',
        themes: ['justice', 'institutions'],
        links: [{ clause: '2.1', relation: 'supports' }],
      },
      {
        quote:
          'At the same time, a number of provincial officials warned that guaranteeing tenure to judges appointed during the emergency period would lock in appointments many consider partisan.',
        themes: ['justice', 'institutions'],
        links: [
          {
            clause: '2.1',
            relation: 'challenges',
            note: 'Bears on the bracketed wording on security of tenure.',
          },
        ],
      },
      {
        quote:
          'Publishing budgets openly and quickly was seen as the single most convincing sign that the transition had changed how the state works.',
        themes: ['transparency', 'public finance'],
        links: [{ clause: '2.2', relation: 'supports' }],
      },
    ],
  },
  {
    country: 'Kestrania',
    kind: 'national_consultation',
    focalPoint: 'Kestranian Council for Civic Dialogue',
    date: '2029-04-02',
    title: 'Kestrania: report of the national consultation on the transition framework',
    text: `The Kestranian Council for Civic Dialogue organised the consultation in three rounds: an online survey answered by 9,800 people, twelve regional forums, and a closing national assembly of 300 delegates chosen by lot from the forum participants.

The assembly endorsed broad participation but cautioned against a fixed list of groups. Delegates from rural municipalities argued that any list written into a framework will be out of date by the time it is applied, and that the framework should instead oblige states to explain how they chose participants. A minority wanted quotas for women and young people written into law.

Kestrania's experience with transitional authorities was mixed. The interim council of 2019 had no end date and no plan to widen its membership, and it lost public support within two years. Delegates therefore supported a binding timetable for broadening participation, reviewed at fixed intervals rather than left to the authority's discretion.

On follow-up, the Council proposed that states build on the reports they already prepare for other international processes. A light, peer-based review every two years, with a short public summary, was preferred to a new reporting obligation. Several forums asked that reviews include data broken down by region, because national averages hide the gap between the capital and the border districts.

The assembly also discussed local government. Municipalities have been asked to deliver services during the transition without the money to do so; delegates asked that resources follow responsibilities, and that the most affected areas be served first.`,
    excerpts: [
      {
        quote:
          'Delegates from rural municipalities argued that any list written into a framework will be out of date by the time it is applied, and that the framework should instead oblige states to explain how they chose participants.',
        themes: ['inclusion', 'process design'],
        links: [
          { clause: '1.1', relation: 'challenges', note: 'Questions an enumerated list of groups.' },
          { clause: '1.2', relation: 'supports' },
        ],
      },
      {
        quote:
          'Delegates therefore supported a binding timetable for broadening participation, reviewed at fixed intervals rather than left to the authority\'s discretion.',
        themes: ['transitional authority', 'inclusion'],
        links: [{ clause: '1.3', relation: 'supports', note: 'Favours "shall" and "annually".' }],
      },
      {
        quote:
          'A light, peer-based review every two years, with a short public summary, was preferred to a new reporting obligation.',
        themes: ['review', 'follow-up'],
        links: [
          { clause: '5.1', relation: 'supports' },
          { clause: '1.4', relation: 'supports' },
        ],
      },
      {
        quote:
          'Several forums asked that reviews include data broken down by region, because national averages hide the gap between the capital and the border districts.',
        themes: ['data', 'regions'],
        links: [{ clause: '3.1', relation: 'supports' }],
      },
      {
        quote:
          'delegates asked that resources follow responsibilities, and that the most affected areas be served first.',
        themes: ['local government', 'services'],
        links: [{ clause: '2.3', relation: 'supports' }],
      },
    ],
  },
  {
    country: 'Orlandia',
    kind: 'regional_validation',
    focalPoint: 'Orlandia Institute for Transition Studies (regional focal point)',
    date: '2029-05-20',
    title: 'Orlandia and the border provinces: regional validation meeting',
    text: `The regional validation meeting in Port Selmar brought together 85 participants from Orlandia's five border provinces to review the first synthesis of national consultations.

Participants welcomed the emphasis on regions that have received less public investment, but several were wary of a fixed share of recovery financing. A fixed share, they argued, becomes a ceiling as soon as it is adopted, and invites each province to argue about the formula rather than about needs. An equitable share, assessed against need and reviewed openly, was preferred.

The meeting was emphatic about local employment. Reconstruction after the floods of 2026 had been carried out largely by contractors from the capital, who brought their own workers; the resentment this caused was described as a lasting source of tension. Participants asked that recovery programmes hire and buy locally wherever quality allows.

On debt, opinions differed sharply. Some participants saw debt relief as essential for a recovery that reaches the regions at all. Others, including representatives of the provincial chambers of commerce, warned that a framework promising debt relief would frighten lenders and raise the cost of borrowing for every participating state.

Finally, the meeting asked that workers in the informal economy, who make up most of the labour force in the border provinces, be brought within social protection step by step, starting with health coverage.`,
    excerpts: [
      {
        quote:
          'A fixed share, they argued, becomes a ceiling as soon as it is adopted, and invites each province to argue about the formula rather than about needs.',
        themes: ['recovery financing', 'regions'],
        links: [{ clause: '3.1', relation: 'challenges', note: 'Against "a fixed share"; supports the alternative.' }],
      },
      {
        quote: 'Participants asked that recovery programmes hire and buy locally wherever quality allows.',
        themes: ['local employment', 'recovery'],
        links: [{ clause: '3.2', relation: 'supports' }],
      },
      {
        quote: 'Some participants saw debt relief as essential for a recovery that reaches the regions at all.',
        themes: ['debt', 'recovery financing'],
        links: [{ clause: '3.4', relation: 'supports' }],
      },
      {
        quote:
          'Others, including representatives of the provincial chambers of commerce, warned that a framework promising debt relief would frighten lenders and raise the cost of borrowing for every participating state.',
        themes: ['debt', 'recovery financing'],
        links: [{ clause: '3.4', relation: 'challenges' }],
      },
    ],
  },
  {
    country: 'Marisca',
    kind: 'thematic_meeting',
    focalPoint: 'Civil Society Forum of Marisca',
    date: '2029-06-11',
    title: 'Marisca thematic meeting on truth, justice and reparation',
    text: `The thematic meeting convened by the Civil Society Forum of Marisca gathered victims' associations, lawyers, archivists and representatives of the security services for two days of closed discussion.

Victims' associations insisted that documentation must come first. Without an independent record of what happened, they said, every later step — prosecution, reparation, reconciliation — rests on competing stories. They asked for mechanisms that are independent of the government of the day and that can receive testimony safely.

On reparation, participants rejected the idea that victims are only to be compensated. Many said that what they sought was acknowledgement, the return of land, or the chance to know where their relatives are buried, and that these forms of redress should be decided with them, not for them.

The discussion of amnesty was the most difficult. Representatives of the security services argued that a blanket exclusion of amnesty for serious crimes would make negotiated exits from conflict harder. Victims' associations and lawyers answered that an amnesty covering the gravest crimes would deny them justice and would not survive review by regional courts.

Archivists described police and military records that are deteriorating in basements, and asked that they be preserved now and opened to the people they concern.`,
    excerpts: [
      {
        quote:
          'They asked for mechanisms that are independent of the government of the day and that can receive testimony safely.',
        themes: ['documentation', 'justice'],
        links: [{ clause: '4.1', relation: 'supports' }],
      },
      {
        quote:
          'Many said that what they sought was acknowledgement, the return of land, or the chance to know where their relatives are buried, and that these forms of redress should be decided with them, not for them.',
        themes: ['reparation', 'victims'],
        links: [{ clause: '4.2', relation: 'supports', note: 'Argues for the broader "appropriate forms of redress".' }],
      },
      {
        quote:
          'Representatives of the security services argued that a blanket exclusion of amnesty for serious crimes would make negotiated exits from conflict harder.',
        themes: ['amnesty', 'justice'],
        links: [{ clause: '4.3', relation: 'challenges' }],
      },
      {
        quote:
          'Victims\' associations and lawyers answered that an amnesty covering the gravest crimes would deny them justice and would not survive review by regional courts.',
        themes: ['amnesty', 'victims'],
        links: [{ clause: '4.3', relation: 'supports' }],
      },
    ],
  },
  {
    country: 'Tavaro',
    kind: 'national_consultation',
    focalPoint: 'Tavaro National Planning Commission',
    date: '2029-04-28',
    title: 'Tavaro: summary of the national consultation on recovery and social protection',
    text: `The National Planning Commission of Tavaro consulted trade unions, employers, farmers' cooperatives and associations of informal traders in eight sessions across the country.

Informal workers described the crisis years as a time without any protection: when markets closed, they lost all income at once. The consultation found broad agreement that social protection should reach informal workers, but also that it can only be extended progressively, as contributions and public revenue allow.

Participants wanted international support to be visible and coordinated. Several sessions complained that partners each run their own projects with their own reporting, so that no one can say who is paying for what. A common register of commitments, open to the public, was proposed.`,
    excerpts: [
      {
        quote:
          'The consultation found broad agreement that social protection should reach informal workers, but also that it can only be extended progressively, as contributions and public revenue allow.',
        themes: ['social protection', 'informal economy'],
        links: [{ clause: '3.5', relation: 'supports' }],
      },
      {
        quote: 'A common register of commitments, open to the public, was proposed.',
        themes: ['international partners', 'transparency'],
        links: [{ clause: '3.3', relation: 'supports' }],
      },
    ],
  },
  {
    country: 'Lake Sorrel region',
    kind: 'expert_input',
    focalPoint: 'Expert working group on water and transition',
    date: '2029-07-03',
    title: 'Expert note: shared water resources in the Lake Sorrel basin',
    text: `The expert working group was asked to advise whether the framework should address natural resources shared across borders. Its members reviewed the management of the Lake Sorrel basin, which four participating states draw on.

The group found that disputes over water allocation preceded, and in places aggravated, the crises the framework responds to. It recommended that the framework invite states to include shared resources in their recovery plans and to settle allocation through joint commissions.

The group noted that none of the national consultations raised the issue directly, and suggested that the Co-Chairs decide whether it belongs in this framework or in a separate process.`,
    excerpts: [
      {
        quote:
          'It recommended that the framework invite states to include shared resources in their recovery plans and to settle allocation through joint commissions.',
        themes: ['natural resources', 'recovery'],
        links: [],
      },
    ],
  },
];

/**
 * Stores the demo evidence: every report, its excerpts (offsets found by their quotes) and the
 * links from clauses of the demo document, attributed to `authorId` (the demo drafter).
 */
export async function seedDemoEvidence(
  store: Store,
  ids: { dialogueId: string; documentId: string; authorId: string },
): Promise<{ reports: number; excerpts: number; links: number }> {
  const library = new EvidenceLibrary(store);
  const links = new EvidenceLinks(store);
  let excerptCount = 0;
  let linkCount = 0;
  for (const report of demoReports) {
    const { excerpts, ...meta } = report;
    const reportId = await library.createReport(
      ids.dialogueId,
      { ...meta, text: report.text, source: 'manual', sourceFilename: null },
      ids.authorId,
    );
    for (const excerpt of excerpts) {
      const start = report.text.indexOf(excerpt.quote);
      if (start < 0) throw new Error(`Demo excerpt not found in "${report.title}": ${excerpt.quote.slice(0, 40)}…`);
      const created = await library.createExcerpt(
        ids.dialogueId,
        reportId,
        { start, end: start + excerpt.quote.length, quote: excerpt.quote, themes: excerpt.themes, note: '' },
        ids.authorId,
      );
      excerptCount++;
      for (const link of excerpt.links) {
        const clauseId = demoClauseIds[link.clause];
        if (!clauseId) throw new Error(`The demo document has no clause ${link.clause}.`);
        await links.create(
          {
            dialogueId: ids.dialogueId,
            documentId: ids.documentId,
            clauseId,
            excerptId: created.id,
            relation: link.relation,
            note: link.note ?? '',
          },
          ids.authorId,
        );
        linkCount++;
      }
    }
  }
  return { reports: demoReports.length, excerpts: excerptCount, links: linkCount };
}
