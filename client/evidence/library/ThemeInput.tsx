import { MAX_THEMES, normalizeTheme } from '@shared/api/evidence';
import { useId, useState } from 'react';

/**
 * Themes (tags) as chips: type a theme and press Enter or comma to add it, Backspace in the empty
 * field removes the last one; known themes are suggested. A theme left in the field is added when
 * the field loses focus (so clicking Save keeps it).
 */
export function ThemeInput({
  themes,
  onChange,
  suggestions,
  id,
  onSubmit,
}: {
  themes: string[];
  onChange: (themes: string[]) => void;
  suggestions: readonly string[];
  id?: string;
  /** Enter in an empty field submits the form. */
  onSubmit?: () => void;
}) {
  const [draft, setDraft] = useState('');
  const listId = useId();
  const add = (value: string) => {
    const theme = normalizeTheme(value.replace(/,/g, ' '));
    if (theme && !themes.includes(theme) && themes.length < MAX_THEMES) onChange([...themes, theme]);
    setDraft('');
  };
  return (
    <div className="theme-input">
      {themes.map((t) => (
        <span key={t} className="theme-chip is-removable">
          {t}
          <button type="button" aria-label={`Remove theme ${t}`} onClick={() => onChange(themes.filter((x) => x !== t))}>
            ×
          </button>
        </span>
      ))}
      <input
        id={id}
        list={listId}
        value={draft}
        maxLength={60}
        placeholder={themes.length === 0 ? 'Themes: type and press Enter' : 'Add a theme'}
        data-testid="theme-input"
        onChange={(e) => {
          const value = e.target.value;
          if (value.endsWith(',')) add(value.slice(0, -1));
          else setDraft(value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            if (draft.trim()) add(draft);
            else onSubmit?.();
          } else if (e.key === 'Backspace' && draft === '' && themes.length > 0) {
            onChange(themes.slice(0, -1));
          }
        }}
        onBlur={() => {
          if (draft.trim()) add(draft);
        }}
      />
      <datalist id={listId}>
        {suggestions
          .filter((s) => !themes.includes(s))
          .map((s) => (
            <option key={s} value={s} />
          ))}
      </datalist>
    </div>
  );
}

