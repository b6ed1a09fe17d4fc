import type { GutterItem } from '../editor/plugins/clauseGutter';
import { clauseCounts, showClauseEvidence } from './store';

function describe(supports: number, challenges: number): string {
  const parts: string[] = [];
  if (supports > 0) parts.push(`${supports} supporting`);
  if (challenges > 0) parts.push(`${challenges} challenging`);
  const total = supports + challenges;
  return `${total} consultation excerpt${total === 1 ? '' : 's'}: ${parts.join(', ')}. Open the evidence panel.`;
}

/**
 * The evidence badge right of each clause (gutter slot 30): how many excerpts the clause rests on,
 * with a red notch when some challenge it. A click opens the evidence panel on the clause.
 */
export const evidenceGutterItem: GutterItem = {
  key: 'evidence',
  order: 30,
  signature: (clauseId) => {
    const { supports, challenges } = clauseCounts(clauseId);
    return supports + challenges === 0 ? '' : `${supports}:${challenges}`;
  },
  render: (clauseId) => {
    const { supports, challenges } = clauseCounts(clauseId);
    const total = supports + challenges;
    if (total === 0) return null;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = challenges > 0 ? 'evidence-badge has-challenges' : 'evidence-badge';
    button.dataset.testid = 'evidence-badge';
    button.dataset.count = String(total);
    button.title = describe(supports, challenges);
    button.setAttribute('aria-label', button.title);
    const icon = document.createElement('span');
    icon.className = 'evidence-badge-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = '❝';
    button.append(icon, document.createTextNode(String(total)));
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', (event) => {
      event.preventDefault();
      showClauseEvidence(clauseId);
    });
    return button;
  },
};
