import { baseKeymap, chainCommands } from 'prosemirror-commands';
import { keymap } from 'prosemirror-keymap';
import type { Command, Plugin } from 'prosemirror-state';
import { redoCommand, undoCommand } from 'y-prosemirror';
import {
  enterFromObjectiveText,
  enterFromTitle,
  insertClauseAfter,
  insertObjective,
  moveClauseDown,
  moveClauseUp,
  splitClause,
  toggleBold,
  toggleBracket,
  toggleItalic,
} from './commands';

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|[oa]d)/.test(navigator.platform);

/** A keyboard shortcut as shown to people, with what it does. */
export interface Shortcut {
  /** Alternative key combinations, any of which does the action. */
  keys: string[];
  action: string;
}

/** Writes a ProseMirror key name ("Mod-Shift-z") the way this platform's users read it. */
export function displayKeys(name: string): string {
  const parts = name.split('-');
  return parts
    .map((part) => {
      if (part === 'Mod') return isMac ? '⌘' : 'Ctrl';
      if (part === 'Shift') return isMac ? '⇧' : 'Shift';
      if (part === 'Alt') return isMac ? '⌥' : 'Alt';
      if (part === 'ArrowUp') return '↑';
      if (part === 'ArrowDown') return '↓';
      return part.length === 1 ? part.toUpperCase() : part;
    })
    .join(isMac ? '' : '+');
}

/** The shortcuts of the editor, for the help popover and button titles. */
export const shortcuts = {
  bold: 'Mod-b',
  italic: 'Mod-i',
  bracket: 'Mod-[',
  newClause: 'Mod-Enter',
  newObjective: 'Mod-Shift-Enter',
  moveUp: 'Alt-Shift-ArrowUp',
  moveDown: 'Alt-Shift-ArrowDown',
  undo: 'Mod-z',
  redo: isMac ? 'Mod-Shift-z' : 'Mod-y',
} as const;

/** The list shown in the help popover. */
export const shortcutList: Shortcut[] = [
  { keys: [displayKeys(shortcuts.bold)], action: 'Bold' },
  { keys: [displayKeys(shortcuts.italic)], action: 'Italic' },
  { keys: [displayKeys(shortcuts.bracket), displayKeys('Mod-Shift-9')], action: 'Bracket contested text' },
  { keys: ['Enter'], action: 'New clause at the end of a clause, or split it' },
  { keys: [displayKeys(shortcuts.newClause)], action: 'New clause after this one' },
  { keys: [displayKeys(shortcuts.newObjective)], action: 'New objective after this one' },
  { keys: [displayKeys(shortcuts.moveUp)], action: 'Move the clause up (into the previous objective at its top)' },
  { keys: [displayKeys(shortcuts.moveDown)], action: 'Move the clause down (into the next objective at its end)' },
  { keys: [displayKeys(shortcuts.undo)], action: 'Undo your last change' },
  { keys: [displayKeys('Mod-y'), displayKeys('Mod-Shift-z')], action: 'Redo' },
  { keys: [displayKeys('Mod-Alt-m')], action: 'Comment on the selected text' },
];

/** The editor's own bindings, tried before the base keymap. */
export function accordKeymap(): Plugin {
  const bindings: Record<string, Command> = {
    'Mod-z': undoCommand,
    'Mod-y': redoCommand,
    'Mod-Shift-z': redoCommand,
    'Mod-b': toggleBold,
    'Mod-i': toggleItalic,
    'Mod-[': toggleBracket,
    'Mod-Shift-9': toggleBracket,
    Enter: chainCommands(splitClause, enterFromObjectiveText, enterFromTitle),
    'Mod-Enter': insertClauseAfter,
    'Mod-Shift-Enter': insertObjective,
    [shortcuts.moveUp]: moveClauseUp,
    [shortcuts.moveDown]: moveClauseDown,
  };
  return keymap(bindings);
}

/** ProseMirror's base keymap (deleting, joining, selecting, splitting paragraphs). */
export function baseKeys(): Plugin {
  return keymap(baseKeymap);
}
