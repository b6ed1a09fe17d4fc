import { MAX_COMMENT_LENGTH, MAX_WORDING_LENGTH, type ThreadVisibility } from '@shared/api/threads';
import { bodyToText, type Mentionable, matchMembers, mentionQueryAt, textToBody } from '@shared/comments/mentions';
import { roleLabels } from '@shared/permissions';
import { type KeyboardEvent, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { Member } from '../api/schemas';
import { displayKeys } from '../editor/keys';
import { errorMessage } from './store';

/** What a composer sends. */
export interface ComposerValue {
  body: string;
  proposedWording: string | null;
  visibility: ThreadVisibility;
}

export interface ComposerProps {
  /** Who may be mentioned (already narrowed to those who can see the thread). */
  mentionable: readonly Member[];
  /** Everyone, to turn tokens of an edited body back into names. */
  members: readonly Member[];
  initialBody?: string;
  initialWording?: string | null;
  /** Offer "propose wording" (threads on a text range). */
  allowWording?: boolean;
  /** The text the wording would replace, shown beside the wording field. */
  quote?: string;
  /** Offer the internal-note switch (Secretariat and Co-Chairs starting a thread). */
  allowInternal?: boolean;
  placeholder: string;
  submitLabel: string;
  onSubmit: (value: ComposerValue) => Promise<void>;
  onCancel?: () => void;
  /** Called with the chosen visibility, so the caller can narrow who may be mentioned. */
  onVisibilityChange?: (visibility: ThreadVisibility) => void;
  autoFocus?: boolean;
  testId: string;
}

/**
 * Writes a comment: plain text with @mentions picked from the dialogue's members (type "@" and a
 * few letters; arrows and Enter or Tab pick), optional proposed wording, and for the chairs an
 * internal-note switch. Mod-Enter sends, Escape cancels. Nothing typed is lost when sending fails.
 */
export function Composer(props: ComposerProps) {
  const initial = bodyToText(props.initialBody ?? '', props.members);
  const [text, setText] = useState(initial.text);
  const [chosen, setChosen] = useState<Mentionable[]>(initial.chosen);
  const [wordingOpen, setWordingOpen] = useState(props.initialWording !== undefined && props.initialWording !== null);
  const [wording, setWording] = useState(props.initialWording ?? '');
  const [visibility, setVisibility] = useState<ThreadVisibility>('everyone');
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const caretAfterRender = useRef<number | null>(null);
  const listId = useId();

  useEffect(() => {
    if (props.autoFocus) textarea.current?.focus();
  }, [props.autoFocus]);

  const candidates = query ? matchMembers(props.mentionable, query.query) : [];
  const open = query !== null && candidates.length > 0;

  const updateQuery = (value: string, caret: number) => {
    setQuery(mentionQueryAt(value, caret));
    setHighlighted(0);
  };

  const pick = (member: Member) => {
    if (!query) return;
    const caret = textarea.current?.selectionStart ?? text.length;
    const inserted = `@${member.name} `;
    const next = text.slice(0, query.start) + inserted + text.slice(caret);
    setText(next);
    setChosen((list) => (list.some((m) => m.userId === member.userId) ? list : [...list, member]));
    setQuery(null);
    // Put the caret after the name as soon as the new text is in the DOM, before the next key.
    caretAfterRender.current = query.start + inserted.length;
  };

  useLayoutEffect(() => {
    const at = caretAfterRender.current;
    if (at === null || !textarea.current) return;
    caretAfterRender.current = null;
    textarea.current.focus();
    textarea.current.setSelectionRange(at, at);
  }, [text]);

  const empty = text.trim() === '' && !wordingOpen;
  const tooLong = text.length > MAX_COMMENT_LENGTH || wording.length > MAX_WORDING_LENGTH;

  const submit = async () => {
    if (busy || empty || tooLong) return;
    setBusy(true);
    setError(null);
    try {
      const mentioned = chosen.filter((m) => text.includes(`@${m.name}`));
      await props.onSubmit({
        body: textToBody(text.trim(), mentioned),
        proposedWording: wordingOpen ? wording : null,
        visibility,
      });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
      return;
    }
    setBusy(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setHighlighted((i) => (i + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(candidates[highlighted] as Member);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setQuery(null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && props.onCancel) {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    }
  };

  return (
    <form
      className="composer"
      data-testid={props.testId}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="composer-field">
        <textarea
          ref={textarea}
          value={text}
          rows={3}
          placeholder={props.placeholder}
          aria-label={props.placeholder}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          data-testid={`${props.testId}-text`}
          onChange={(event) => {
            setText(event.target.value);
            updateQuery(event.target.value, event.target.selectionStart);
          }}
          onSelect={(event) => updateQuery(event.currentTarget.value, event.currentTarget.selectionStart)}
          onBlur={() => setTimeout(() => setQuery(null), 150)}
          onKeyDown={onKeyDown}
        />
        {open && (
          <ul className="mention-list" role="listbox" id={listId} data-testid="mention-list">
            {candidates.map((member, i) => (
              <li
                key={member.userId}
                role="option"
                aria-selected={i === highlighted}
                className={i === highlighted ? 'is-highlighted' : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(member);
                }}
              >
                <span className="mention-name">{member.name}</span>
                <span className="mention-meta">
                  {roleLabels[member.role]}
                  {member.affiliation ? ` · ${member.affiliation}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      {wordingOpen && (
        <label className="composer-wording">
          <span>
            Replace {props.quote ? <q>{props.quote.length > 80 ? `${props.quote.slice(0, 80)}…` : props.quote}</q> : 'the text'}{' '}
            with:
          </span>
          <textarea
            value={wording}
            rows={2}
            placeholder="Proposed wording (leave empty to propose deleting the text)"
            data-testid={`${props.testId}-wording`}
            onChange={(event) => setWording(event.target.value)}
            onKeyDown={onKeyDown}
          />
        </label>
      )}
      {tooLong && <p className="form-error">The comment is too long.</p>}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="composer-actions">
        {props.allowWording && (
          <button type="button" className="link-button" onClick={() => setWordingOpen((o) => !o)}>
            {wordingOpen ? 'No proposed wording' : 'Propose wording'}
          </button>
        )}
        {props.allowInternal && (
          <label className="composer-internal" title="Seen by Secretariat and Co-Chairs only">
            <input
              type="checkbox"
              checked={visibility === 'internal'}
              data-testid={`${props.testId}-internal`}
              onChange={(event) => {
                const next = event.target.checked ? 'internal' : 'everyone';
                setVisibility(next);
                props.onVisibilityChange?.(next);
              }}
            />
            Internal note
          </label>
        )}
        <span className="composer-spacer" />
        {props.onCancel && (
          <button type="button" className="quiet-button" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button
          type="submit"
          className="primary-button"
          disabled={busy || empty || tooLong}
          title={`${props.submitLabel} (${displayKeys('Mod-Enter')})`}
          data-testid={`${props.testId}-submit`}
        >
          {busy ? 'Sending…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
