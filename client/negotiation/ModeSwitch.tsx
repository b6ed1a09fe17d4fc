import type { Role } from '@shared/permissions';
import { useNegotiation, type EditorMode, type TextView } from '../stores/negotiation';
import { suggestingForced, switchMode } from './mode';

const modes: { mode: EditorMode; label: string; hint: string }[] = [
  { mode: 'editing', label: 'Editing', hint: 'Edit the text directly' },
  { mode: 'suggesting', label: 'Suggesting', hint: 'Your edits become suggestions others accept or reject' },
  { mode: 'viewing', label: 'Viewing', hint: 'Read without changing anything' },
];

const views: { view: TextView; label: string; hint: string }[] = [
  { view: 'changes', label: 'All changes', hint: 'The live text with every suggestion shown' },
  { view: 'final', label: 'Final', hint: 'Preview with every suggestion accepted (read-only)' },
  { view: 'original', label: 'Original', hint: 'Preview with every suggestion rejected (read-only)' },
];

/** The Editing / Suggesting / Viewing switch and the preview switch, above the editor. */
export function ModeSwitch({ role, canEdit }: { role: Role; canEdit: boolean }) {
  const mode = useNegotiation((s) => s.mode);
  const view = useNegotiation((s) => s.view);
  const settings = useNegotiation((s) => s.settings);
  const forced = suggestingForced(role);
  void settings; // re-render when the policy changes
  return (
    <div className="mode-bar" data-testid="mode-bar">
      {canEdit && (
        <div className="segmented" role="radiogroup" aria-label="Editing mode">
          {modes.map((m) => {
            const disabled = (m.mode === 'editing' && forced) || view !== 'changes';
            return (
              <button
                key={m.mode}
                type="button"
                role="radio"
                aria-checked={mode === m.mode}
                className={mode === m.mode ? 'segment is-active' : 'segment'}
                data-testid={`mode-${m.mode}`}
                disabled={disabled}
                title={m.mode === 'editing' && forced ? 'The Secretariat requires drafters to suggest changes' : m.hint}
                onMouseDown={(e) => {
                  e.preventDefault();
                  switchMode(m.mode);
                }}
              >
                {m.label}
              </button>
            );
          })}
        </div>
      )}
      {forced && (
        <span className="mode-policy" data-testid="must-suggest">
          Your edits are suggestions (document policy)
        </span>
      )}
      <div className="segmented" role="radiogroup" aria-label="Show">
        {views.map((v) => (
          <button
            key={v.view}
            type="button"
            role="radio"
            aria-checked={view === v.view}
            className={view === v.view ? 'segment is-active' : 'segment'}
            data-testid={`view-${v.view}`}
            title={v.hint}
            onClick={() => useNegotiation.setState({ view: v.view })}
          >
            {v.label}
          </button>
        ))}
      </div>
    </div>
  );
}

/** A short notice from the negotiation features (decision recorded, edit refused …). */
export function NegotiationNotice() {
  const notice = useNegotiation((s) => s.notice);
  if (!notice) return null;
  return (
    <div className={`negotiation-notice is-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="negotiation-notice">
      {notice.text}
      <button type="button" aria-label="Dismiss" onClick={() => useNegotiation.setState({ notice: null })}>
        ×
      </button>
    </div>
  );
}
