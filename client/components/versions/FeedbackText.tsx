import type { NumberingBaseline } from '@shared/numbering';
import { BODY_FRAGMENT, schema } from '@shared/schema';
import { EditorState, Plugin } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { useEffect, useRef } from 'react';
import { initProseMirrorDoc, ySyncPlugin } from 'y-prosemirror';
import * as Y from 'yjs';
import { containersAt } from '@shared/comments/anchor';
import { commentHighlightsPlugin } from '../../editor/plugins/commentHighlights';
import { numberingPlugin, numberingPluginKey } from '../../editor/plugins/numbering';
import { attachVersionView, versionTextUpdated } from '../../stores/versionText';

/** Tells the version page's store the outline and the selection after every state update. */
function reportPlugin(): Plugin {
  return new Plugin({
    view: (view) => {
      const report = () => {
        const { from, to } = view.state.selection;
        versionTextUpdated(numberingPluginKey.getState(view.state)?.outline ?? null, {
          from,
          to,
          clauseId: containersAt(view.state.doc, from).clauseId,
        });
      };
      report();
      return { update: report };
    },
  });
}

/**
 * A frozen version rendered from its stored Yjs state, read-only: the same text as `FrozenText`, but
 * bound to a Y.Doc (never connected to anything) so that feedback can be anchored into the version's
 * `body` fragment with Yjs relative positions and highlighted, exactly as threads on the live draft.
 */
export function FeedbackText({ state, numbering }: { state: Uint8Array; numbering: NumberingBaseline }) {
  const mount = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!mount.current) return;
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
    const { doc, mapping } = initProseMirrorDoc(fragment, schema);
    const view = new EditorView(mount.current, {
      state: EditorState.create({
        schema,
        doc,
        plugins: [ySyncPlugin(fragment, { mapping }), numberingPlugin({ baseline: numbering }), commentHighlightsPlugin(), reportPlugin()],
      }),
      editable: () => false,
      attributes: {
        class: 'accord-editor is-readonly is-frozen',
        'aria-label': 'Frozen text',
        'aria-readonly': 'true',
      },
    });
    attachVersionView(view);
    return () => {
      attachVersionView(null);
      view.destroy();
      ydoc.destroy();
    };
  }, [state, numbering]);
  // `data-anchored`: this rendering can take feedback (tests wait for it).
  return <div className="editor-mount" ref={mount} data-testid="frozen-text" data-anchored="true" />;
}
