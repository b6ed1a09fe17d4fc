import { useEffect, useRef, useState } from 'react';
import { shortcutList } from '../editor/keys';

/** A "?" button that opens the list of keyboard shortcuts. */
export function ShortcutHelp() {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (
        event instanceof KeyboardEvent ? event.key === 'Escape' : !ref.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="shortcut-help" ref={ref}>
      <button
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-label="Keyboard shortcuts"
        title="Keyboard shortcuts"
        onClick={() => setOpen((o) => !o)}
      >
        ?
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Keyboard shortcuts">
          <h3>Keyboard shortcuts</h3>
          <dl>
            {shortcutList.map((s) => (
              <div key={s.action} className="shortcut-row">
                <dt>
                  {s.keys.map((keys, i) => (
                    <span key={keys}>
                      {i > 0 && <span className="muted"> or </span>}
                      <kbd>{keys}</kbd>
                    </span>
                  ))}
                </dt>
                <dd>{s.action}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
