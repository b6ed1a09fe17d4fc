import type { Command } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import type { MouseEvent } from 'react';
import { redoCommand, undoCommand } from 'y-prosemirror';
import {
  insertClauseAfter,
  insertObjective,
  moveClauseDown,
  moveClauseUp,
  toggleBold,
  toggleBracket,
  toggleItalic,
} from '../editor/commands';
import { displayKeys, shortcuts } from '../editor/keys';
import { useDocumentPage } from '../stores/documentPage';

interface ButtonSpec {
  label: string;
  title: string;
  command: Command;
  active?: boolean;
  disabled?: boolean;
  className?: string;
}

/** The formatting and structure buttons above the editor. */
export function Toolbar({ view }: { view: EditorView }) {
  const ui = useDocumentPage((s) => s.ui);
  const run = (command: Command) => (event: MouseEvent) => {
    // Acting on mousedown (and preventing the default) keeps the editor's focus and selection.
    event.preventDefault();
    command(view.state, view.dispatch, view);
    view.focus();
  };
  const groups: ButtonSpec[][] = [
    [
      {
        label: 'B',
        title: `Bold (${displayKeys(shortcuts.bold)})`,
        command: toggleBold,
        active: ui.bold,
        className: 'is-bold',
      },
      {
        label: 'I',
        title: `Italic (${displayKeys(shortcuts.italic)})`,
        command: toggleItalic,
        active: ui.italic,
        className: 'is-italic',
      },
      {
        label: '[ ]',
        title: `Bracket contested text (${displayKeys(shortcuts.bracket)})`,
        command: toggleBracket,
        active: ui.bracket,
      },
    ],
    [
      {
        label: 'New clause',
        title: `New clause (${displayKeys(shortcuts.newClause)})`,
        command: insertClauseAfter,
      },
      {
        label: 'New objective',
        title: `New objective (${displayKeys(shortcuts.newObjective)})`,
        command: insertObjective,
      },
    ],
    [
      {
        label: 'Move ↑',
        title: `Move the clause up (${displayKeys(shortcuts.moveUp)})`,
        command: moveClauseUp,
        disabled: ui.clauseId === null,
      },
      {
        label: 'Move ↓',
        title: `Move the clause down (${displayKeys(shortcuts.moveDown)})`,
        command: moveClauseDown,
        disabled: ui.clauseId === null,
      },
    ],
    [
      {
        label: 'Undo',
        title: `Undo your last change (${displayKeys(shortcuts.undo)})`,
        command: undoCommand,
        disabled: !ui.canUndo,
      },
      {
        label: 'Redo',
        title: `Redo (${displayKeys(shortcuts.redo)})`,
        command: redoCommand,
        disabled: !ui.canRedo,
      },
    ],
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting" data-testid="toolbar">
      {groups.map((group) => (
        <div className="toolbar-group" key={group.map((b) => b.label).join()}>
          {group.map((button) => (
            <button
              key={button.label}
              type="button"
              className={`toolbar-button ${button.className ?? ''} ${button.active ? 'is-active' : ''}`}
              title={button.title}
              aria-label={button.title}
              aria-pressed={button.active === undefined ? undefined : button.active}
              disabled={button.disabled}
              onMouseDown={run(button.command)}
            >
              {button.label}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
