import type { ProseMirrorJson } from './content';

/**
 * The demo framework document, written for Accord (fictional dialogue, fictional countries). Ids of
 * objectives and clauses are fixed so that other seeds (clause statuses, threads, evidence links) can
 * refer to them: `demoClauseIds['2.3']` is the third clause of the second objective.
 */

type Inline = ProseMirrorJson;
type Piece = string | Inline;

/** Who the demo's tracked change is attributed to. */
export interface DemoAuthor {
  id: string;
  name: string;
}

const text = (t: string, marks?: ProseMirrorJson['marks']): Inline =>
  marks ? { type: 'text', text: t, marks } : { type: 'text', text: t };

/** Contested text; alternatives share a group and are numbered by `alt`. */
const bracket = (t: string, group: string, alt: number | null = null): Inline =>
  text(t, [{ type: 'bracket', attrs: { group, alt } }]);

const inline = (pieces: Piece[]): Inline[] => pieces.map((p) => (typeof p === 'string' ? text(p) : p));

const objectiveId = (n: number) => `o-demo${String(n).padStart(8, '0')}`;
const clauseId = (objective: number, clause: number) =>
  `c-demo${String(objective).padStart(4, '0')}${String(clause).padStart(4, '0')}`;

/** The clause ids of the demo document by their number ("1.1" … "5.3"). */
export const demoClauseIds: Readonly<Record<string, string>> = Object.fromEntries(
  [4, 4, 5, 4, 3].flatMap((count, o) =>
    Array.from({ length: count }, (_, c) => [`${o + 1}.${c + 1}`, clauseId(o + 1, c + 1)]),
  ),
);

/** The objective ids of the demo document by number ("1" … "5"). */
export const demoObjectiveIds: Readonly<Record<string, string>> = Object.fromEntries(
  [1, 2, 3, 4, 5].map((n) => [String(n), objectiveId(n)]),
);

function objective(n: number, heading: string, rationale: string, clauses: Piece[][]): ProseMirrorJson {
  return {
    type: 'objective',
    attrs: { id: objectiveId(n) },
    content: [
      { type: 'objective_heading', content: inline([heading]) },
      { type: 'rationale', content: inline([rationale]) },
      ...clauses.map((pieces, i) => ({
        type: 'clause',
        attrs: { id: clauseId(n, i + 1) },
        content: inline(pieces),
      })),
    ],
  };
}

/** Title of the demo document. */
export const demoDocumentTitle = 'International Objectives Framework — working draft';

/**
 * The demo document as ProseMirror JSON. `author` is the drafter a pending tracked change is
 * attributed to; `at` is when they made it.
 */
export function demoDocument(author: DemoAuthor, at: string): ProseMirrorJson {
  const change = (kind: 'insertion' | 'deletion', t: string): Inline =>
    text(t, [{ type: kind, attrs: { id: 1, authorId: author.id, authorName: author.name, at } }]);

  return {
    type: 'doc',
    content: [
      { type: 'title', content: [text(demoDocumentTitle)] },
      {
        type: 'preamble',
        content: [
          {
            type: 'paragraph',
            content: inline([
              'We, the participants in the International Dialogue on Inclusive Transitions, having met in national consultations and in two plenary sessions, set out in this framework the objectives we intend to pursue together over the coming decade.',
            ]),
          },
          {
            type: 'paragraph',
            content: inline([
              'Recognising that a transition after conflict, crisis or far-reaching reform lasts only when the people it affects can shape its course, and drawing on the experience shared by Veloria, Kestrania, Orlandia and Marisca during the consultation phase,',
            ]),
          },
          {
            type: 'paragraph',
            content: inline([
              'Affirming that nothing in this framework diminishes the responsibility of each participating state for its own transition, and that its objectives are to be pursued in ways suited to national circumstances,',
            ]),
          },
        ],
      },
      objective(
        1,
        'Inclusive political settlements',
        'Settlements negotiated within a narrow circle have repeatedly broken down; every national consultation named broad participation as the surest foundation of a durable agreement.',
        [
          [
            'Participating states will ensure that national dialogue processes include representatives of women, young people, displaced persons and minority communities ',
            bracket('at every stage of negotiation and implementation', 'g-1-1'),
            '.',
          ],
          [
            'Each process should publish, at its outset, clear rules for the selection of participants, in the languages spoken in the country concerned.',
          ],
          [
            'Where a transitional authority is established, its mandate ',
            bracket('shall', 'g-1-3a', 1),
            ' ',
            bracket('should', 'g-1-3a', 2),
            ' include a timetable for broadening participation, reviewed ',
            bracket('annually', 'g-1-3b', 1),
            ' ',
            bracket('at each plenary session of the Dialogue', 'g-1-3b', 2),
            '.',
          ],
          [
            'Participating states will report on progress towards this objective in the voluntary reviews set out under Objective 5.',
          ],
        ],
      ),
      objective(
        2,
        'Accountable and responsive institutions',
        'Trust in public institutions fell sharply during the period the consultations covered; focal points reported that people judge a transition first by whether local services and courts work.',
        [
          [
            'Participating states will strengthen the independence of judicial and oversight bodies, including by ',
            bracket('guaranteeing security of tenure for judges', 'g-2-1'),
            ' and by protecting those who report wrongdoing from retaliation.',
          ],
          [
            'Budgets for the transition period should be published in an ',
            change('deletion', 'accessible'),
            change('insertion', 'open, machine-readable'),
            ' format ',
            bracket('no later than thirty days after their adoption', 'g-2-2'),
            '.',
          ],
          [
            'Local authorities will receive the resources needed to deliver essential services, ',
            bracket('with priority for the areas most affected by displacement', 'g-2-3'),
            '.',
          ],
          [
            'Anti-corruption bodies created during a transition should be evaluated by an independent panel after three years of operation.',
          ],
        ],
      ),
      objective(
        3,
        'A recovery that leaves no region behind',
        'The consultations in Orlandia and Marisca showed that a recovery concentrated in capital cities deepened grievances in border and rural regions.',
        [
          [
            'Participating states will direct ',
            bracket('a fixed share', 'g-3-1', 1),
            ' ',
            bracket('an equitable share', 'g-3-1', 2),
            ' of recovery financing to regions that have historically received less public investment.',
          ],
          [
            'Recovery programmes should favour local employment and procurement where this does not compromise quality or transparency.',
          ],
          [
            'International partners are invited to align their support with national recovery plans and to record their commitments in a common registry.',
          ],
          [
            bracket(
              'Debt relief shall be considered for states whose recovery is constrained by obligations incurred during the crisis.',
              'g-3-4',
            ),
          ],
          ['Social protection will be extended progressively to workers in the informal economy.'],
        ],
      ),
      objective(
        4,
        'Justice, truth and reconciliation',
        'Participants agreed that lasting peace requires an honest account of the past, while they differ on the balance between accountability and amnesty.',
        [
          [
            'Participating states will establish or support independent mechanisms to document violations committed during periods of conflict or repression.',
          ],
          [
            'Victims and their families shall have access to ',
            bracket('reparations', 'g-4-2', 1),
            ' ',
            bracket('appropriate forms of redress', 'g-4-2', 2),
            ', determined through a process in which they take part.',
          ],
          [
            'Amnesties ',
            bracket('shall not extend to', 'g-4-3', 1),
            ' ',
            bracket('should not, as a rule, extend to', 'g-4-3', 2),
            ' the gravest crimes under international law.',
          ],
          [
            'Archives relating to past violations will be preserved and opened to researchers and to the persons concerned.',
          ],
        ],
      ),
      objective(
        5,
        'Follow-up, review and shared learning',
        'A framework without review risks remaining a statement of intent; Kestrania proposed a light, peer-based process that builds on reporting states already do.',
        [
          [
            'Participating states will present a voluntary national review of their progress on these objectives ',
            bracket('every two years', 'g-5-1', 1),
            ' ',
            bracket('at each high-level meeting of the Dialogue', 'g-5-1', 2),
            '.',
          ],
          [
            'The Secretariat will compile the reviews into a public synthesis, highlighting practices that other states may adapt.',
          ],
          [
            'The expert panel will advise on indicators, drawing on data disaggregated by sex, age, disability and region.',
          ],
        ],
      ),
    ],
  };
}
