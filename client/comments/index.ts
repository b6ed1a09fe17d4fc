/**
 * Comment threads on the document page (issue 3): registers the Comments and Mentions side panels,
 * the open-thread counts of the outline and of the clause gutter (with the "comment on this clause"
 * affordance), the comment-on-selection shortcut, threads on tracked changes (the Changes panel's
 * Comment button and thread counts), and keeps the threads of the open document in step
 * with the server (load on open, reload after a reconnect or a role change, live events between).
 * Imported once, by `client/main.tsx`.
 */
import { canReadThreadsOn, canStartThread, type Role } from '@shared/permissions';
import { createElement } from 'react';
import { registerGutterItem, refreshGutters } from '../editor/plugins/clauseGutter';
import { setChangeThreadsBadge, setOpenChangeThread } from '../negotiation/actions';
import { type OutlineBadge, outlineBadges, sidePanels } from '../panels/registry';
import { getOpenDocument, onDocumentEvent, useDocumentPage } from '../stores/documentPage';
import { openPanel } from '../stores/panels';
import { COMMENT_SHORTCUT, CommentsPanel, startDraftOnClause, startDraftOnSelection } from './CommentsPanel';
import { ChangeThreadsBadge, openThreadOnChange } from './changeThreads';
import { InboxPanel } from './InboxPanel';
import {
  handleDocumentEvent,
  loadInbox,
  loadThreads,
  markInboxRead,
  resetComments,
  selectOpenCounts,
  setActiveThread,
  useComments,
} from './store';
import './comments.css';

const role = (): Role | null => useDocumentPage.getState().meta?.role ?? null;

sidePanels.push(
  {
    id: 'comments',
    label: 'Comments',
    visible: (r) => canReadThreadsOn(r, null),
    shortcut: 'Mod-Alt-c',
    useBadge: () => useComments((s) => selectOpenCounts(s).total),
    component: CommentsPanel,
  },
  {
    id: 'inbox',
    label: 'Mentions',
    visible: (r) => canReadThreadsOn(r, null),
    shortcut: 'Mod-Alt-i',
    useBadge: () => useComments((s) => s.inbox.unread),
    component: InboxPanel,
  },
);

// The Changes panel (issue 4): its Comment button opens a thread on the change, and each change card
// shows the threads on it.
setOpenChangeThread(openThreadOnChange);
setChangeThreadsBadge(ChangeThreadsBadge);

/** Open threads beside a clause or objective in the outline. */
const ThreadCountBadge: OutlineBadge = ({ kind, id }) => {
  const count = useComments((s) => {
    const counts = selectOpenCounts(s);
    return (kind === 'clause' ? counts.byClause[id] : counts.byObjective[id]) ?? 0;
  });
  if (count === 0) return null;
  const title = `${count} open ${count === 1 ? 'thread' : 'threads'}`;
  return createElement('span', { className: 'outline-thread-count', title, 'aria-label': title, 'data-testid': 'outline-thread-count' }, count);
};
outlineBadges.push(ThreadCountBadge);

registerGutterItem({
  key: 'threads',
  order: 20,
  signature: (clauseId) => {
    const count = selectOpenCounts(useComments.getState()).byClause[clauseId] ?? 0;
    const mayComment = canStartThread(role(), 'everyone');
    if (count === 0 && !mayComment) return '';
    return `${count}:${mayComment ? 'add' : ''}`;
  },
  render: (clauseId) => {
    const count = selectOpenCounts(useComments.getState()).byClause[clauseId] ?? 0;
    const wrap = document.createElement('span');
    wrap.className = 'thread-gutter';
    if (count > 0) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'thread-gutter-count';
      button.append(bubbleIcon(), document.createTextNode(String(count)));
      button.title = `${count} open ${count === 1 ? 'thread' : 'threads'} on this clause`;
      button.dataset.testid = 'thread-gutter-count';
      button.addEventListener('click', () => openPanel('comments', clauseId));
      wrap.append(button);
    }
    if (canStartThread(role(), 'everyone')) {
      const add = document.createElement('button');
      add.type = 'button';
      add.className = 'thread-gutter-add';
      add.textContent = '+';
      add.title = 'Comment on this clause';
      add.setAttribute('aria-label', 'Comment on this clause');
      add.dataset.testid = 'thread-gutter-add';
      add.addEventListener('click', () => {
        startDraftOnClause(clauseId);
        openPanel('comments');
      });
      wrap.append(add);
    }
    return wrap;
  },
});

/** A small speech-bubble icon (SVG, so it never depends on an emoji font). */
function bubbleIcon(): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '12');
  svg.setAttribute('height', '12');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

// Counts in the gutter follow the threads and where they sit.
useComments.subscribe((s, prev) => {
  if (s.threads !== prev.threads || s.placements !== prev.placements) refreshGutters();
});

// Reading a thread clears the inbox entries that point at it.
useComments.subscribe((s, prev) => {
  if (!s.activeThreadId || s.activeThreadId === prev.activeThreadId) return;
  const dialogueId = useDocumentPage.getState().meta?.dialogueId;
  const threadId = s.activeThreadId;
  if (dialogueId && s.inbox.items.some((item) => item.threadId === threadId && item.readAt === null)) {
    void markInboxRead(dialogueId, { threadId });
  }
});

onDocumentEvent((raw) => {
  const event = handleDocumentEvent(raw);
  const dialogueId = useDocumentPage.getState().meta?.dialogueId;
  if (event?.type === 'inbox.changed' && dialogueId) void loadInbox(dialogueId);
});

// Load on open; reload after a reconnect (events may have been missed) and when the role changes.
// Coming back from a version's page (whose feedback the store held) counts as opening.
useDocumentPage.subscribe((s, prev) => {
  const held = useComments.getState();
  const cameBack = s.documentId !== null && getOpenDocument()?.documentId === s.documentId && (held.documentId !== s.documentId || held.scope !== null);
  if (s.documentId !== prev.documentId || cameBack) {
    resetComments(s.documentId);
    if (s.documentId) void loadThreads(s.documentId);
    return;
  }
  if (!s.documentId) return;
  const reconnected = s.connection === 'connected' && prev.connection !== 'connected' && useComments.getState().status !== 'idle';
  const roleChanged = s.meta?.role !== prev.meta?.role && prev.meta !== null;
  if (reconnected || roleChanged) void loadThreads(s.documentId);
  if (s.meta?.dialogueId && s.meta.dialogueId !== prev.meta?.dialogueId) void loadInbox(s.meta.dialogueId);
  else if (roleChanged && s.meta) void loadInbox(s.meta.dialogueId);
  if (roleChanged) refreshGutters();
});

// Mod-Alt-m comments on the selection, in editable and read-only editors alike (a read-only editor
// never has the keyboard focus, so this listens on the window, by physical key).
window.addEventListener('keydown', (event) => {
  const isMac = /Mac|iP(hone|[oa]d)/.test(navigator.platform);
  const mod = isMac ? event.metaKey : event.ctrlKey;
  if (!(mod && event.altKey && !event.shiftKey && event.code === 'KeyM')) return;
  // Only on the document page (a version's page handles its own shortcut).
  if (!getOpenDocument() || !canStartThread(role(), 'everyone')) return;
  event.preventDefault();
  const problem = startDraftOnSelection();
  openPanel('comments');
  if (problem) {
    setActiveThread(null);
    useDocumentPage.setState({ banner: { kind: 'info', text: problem } });
  }
});

export { COMMENT_SHORTCUT };
