import { clauseIdPlugin } from '@shared/clauseIds';
import type { Role } from '@shared/permissions';
import { roleColors } from '@shared/permissions';
import { BODY_FRAGMENT, schema } from '@shared/schema';
import { EditorState, Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { initProseMirrorDoc, yCursorPlugin, ySyncPlugin, yUndoPlugin } from 'y-prosemirror';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { preparePastedSlice, unwrapObjectiveSlice } from './clipboard';
import { cursorBuilder, selectionBuilder } from './cursors';
import { clauseGutterPlugin } from './plugins/clauseGutter';
import { commentHighlightsPlugin } from './plugins/commentHighlights';
import { accordKeymap, baseKeys } from './keys';
import { numberingPlugin } from './plugins/numbering';
import { modeOf, type TrackChangesOptions, type TrackOptions, trackChangesPlugins, transactionFor } from './plugins/trackChanges';
import { placeholderPlugin } from './plugins/placeholder';
import { sanitizePastedHtml } from './sanitizePaste';

/** What the editor needs: the shared document, its connection, and who is editing. */
export interface EditorOptions {
  ydoc: Y.Doc;
  provider: WebsocketProvider;
  readOnly: boolean;
  user: { id: string; name: string; role: Role };
  /** Called after every state update (for the toolbar and outline). */
  onUpdate?: (view: EditorView) => void;
  /** Suggesting mode, the clause lock and change colours (absent for read-only editors). */
  track?: TrackChangesOptions & TrackOptions;
}

/**
 * Creates the editor of a framework document in `mount`. The text lives in the `Y.XmlFragment`
 * `body`; call this only once that fragment has content (from IndexedDB or the server), because the
 * client must never write initial content of its own.
 */
export function createEditor(
  mount: HTMLElement,
  { ydoc, provider, readOnly, user, onUpdate, track }: EditorOptions,
): EditorView {
  const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
  // Rendering the fragment up front (instead of a first forced re-render) means the view starts with
  // the real document and y-prosemirror does not see an initial change to write back.
  const { doc, mapping } = initProseMirrorDoc(fragment, schema);

  // The server replaces this with the session's identity; it is set so our own UI shows it at once.
  provider.awareness.setLocalStateField('user', {
    id: user.id,
    name: user.name,
    role: user.role,
    color: roleColors[user.role],
  });

  const plugins: Plugin[] = [
    ySyncPlugin(fragment, { mapping }),
    yCursorPlugin(provider.awareness, { cursorBuilder, selectionBuilder }),
    yUndoPlugin(),
    accordKeymap(),
    baseKeys(),
    clauseIdPlugin(),
    numberingPlugin(),
    clauseGutterPlugin(),
    commentHighlightsPlugin(),
    placeholderPlugin(),
  ];
  if (track) plugins.push(...trackChangesPlugins(track));
  if (onUpdate) plugins.push(updateListener(onUpdate));

  const view = new EditorView(mount, {
    state: EditorState.create({ schema, doc, plugins }),
    editable: (state) => !readOnly && modeOf(state).mode !== 'viewing',
    // Suggesting mode turns local edits into tracked changes before they are applied (remote ones pass).
    dispatchTransaction(this: EditorView, tr) {
      const out = track ? transactionFor(this.state, tr, track) : tr;
      if (out) this.updateState(this.state.apply(out));
    },
    transformPastedHTML: sanitizePastedHtml,
    transformCopied: unwrapObjectiveSlice,
    // Clauses copied by an older tab may still come wrapped in their objective; pasted text is the paster's own.
    transformPasted: preparePastedSlice,
    attributes: {
      class: readOnly ? 'accord-editor is-readonly' : 'accord-editor',
      spellcheck: 'true',
      'aria-label': 'Document text',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-readonly': readOnly ? 'true' : 'false',
    },
  });
  onUpdate?.(view);
  return view;
}

function updateListener(onUpdate: (view: EditorView) => void): Plugin {
  // A plugin view is told after every state update: the one place to learn about selection changes too.
  return new Plugin({ view: () => ({ update: (view) => onUpdate(view) }) });
}
