import type { NumberingBaseline } from '@shared/numbering';
import type { ProseMirrorJson } from '@shared/versions/content';
import { schema } from '@shared/schema';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { useEffect, useRef } from 'react';
import { numberingPlugin } from '../../editor/plugins/numbering';

/**
 * A frozen text, rendered exactly as the editor renders the live draft (same schema, same node
 * views and styles, numbers as at the freeze), but read-only and without any connection.
 */
export function FrozenText({ doc, numbering }: { doc: ProseMirrorJson; numbering: NumberingBaseline }) {
  const mount = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!mount.current) return;
    const view = new EditorView(mount.current, {
      state: EditorState.create({ schema, doc: schema.nodeFromJSON(doc), plugins: [numberingPlugin({ baseline: numbering })] }),
      editable: () => false,
      attributes: {
        class: 'accord-editor is-readonly is-frozen',
        'aria-label': 'Frozen text',
        'aria-readonly': 'true',
      },
    });
    return () => view.destroy();
  }, [doc, numbering]);
  return <div className="editor-mount" ref={mount} data-testid="frozen-text" />;
}
