import { finalDoc, originalDoc } from '@shared/changes';
import { EditorState } from 'prosemirror-state';
import { EditorView } from 'prosemirror-view';
import { useEffect, useRef } from 'react';
import { numberingPlugin } from '../editor/plugins/numbering';
import { getEditorView } from '../stores/documentPage';
import type { TextView } from '../stores/negotiation';

/**
 * A read-only preview of the live text with every pending change accepted ("final") or rejected
 * ("original"). Computed from the current document, never written back; it follows live edits.
 */
export function Preview({ view: which }: { view: Exclude<TextView, 'changes'> }) {
  const mount = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const source = getEditorView();
    if (!mount.current || !source) return;
    const compute = () => (which === 'final' ? finalDoc : originalDoc)(source.state.doc);
    const preview = new EditorView(mount.current, {
      state: EditorState.create({ doc: compute(), plugins: [numberingPlugin()] }),
      editable: () => false,
      attributes: { class: 'accord-editor is-readonly is-preview', 'aria-label': `${which} text preview` },
    });
    let last = source.state.doc;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Follow the live text, at most a few times a second.
    const poll = setInterval(() => {
      if (source.isDestroyed || source.state.doc === last || timer) return;
      timer = setTimeout(() => {
        timer = null;
        last = source.state.doc;
        preview.updateState(EditorState.create({ doc: compute(), plugins: preview.state.plugins }));
      }, 150);
    }, 250);
    return () => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      preview.destroy();
    };
  }, [which]);
  return (
    <div className="preview" data-testid={`preview-${which}`}>
      <p className="preview-note">
        {which === 'final'
          ? 'Preview: the text with every pending suggestion accepted. Nothing is changed.'
          : 'Preview: the text with every pending suggestion rejected. Nothing is changed.'}
      </p>
      <div className="editor-mount" ref={mount} />
    </div>
  );
}
