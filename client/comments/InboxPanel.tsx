import type { InboxItem } from '@shared/api/threads';
import { useEffect } from 'react';
import { feedbackPath, navigate } from '../router';
import { useDocumentPage } from '../stores/documentPage';
import { openPanel } from '../stores/panels';
import { useSession } from '../stores/session';
import { CommentBody, fullTime, timeAgo } from './CommentBody';
import { focusThreadWhenLoaded } from './focus';
import { loadInbox, markInboxRead, setActiveThread, useComments } from './store';

function Item({ item, dialogueId }: { item: InboxItem; dialogueId: string }) {
  const meta = useDocumentPage((s) => s.meta);
  const me = useSession((s) => s.user?.id ?? null);
  const open = () => {
    if (item.readAt === null) void markInboxRead(dialogueId, { ids: [item.id] });
    if (item.versionId && item.roundId) {
      // Feedback of a validation round lives on its version's page.
      navigate(feedbackPath(item.documentId, item.versionId, item.roundId, item.threadId));
    } else if (item.documentId === meta?.id) {
      openPanel('comments', item.threadId);
      setActiveThread(item.threadId, true);
    } else {
      focusThreadWhenLoaded(item.documentId, item.threadId);
      navigate(`/documents/${encodeURIComponent(item.documentId)}`);
    }
  };
  return (
    <li className={item.readAt === null ? 'inbox-item is-unread' : 'inbox-item'} data-testid="inbox-item">
      <button type="button" onClick={open}>
        <span className="inbox-line">
          {item.readAt === null && <span className="unread-dot" aria-label="Unread" />}
          <strong>{item.author.name}</strong> {item.reason === 'mention' ? 'mentioned you' : 'replied'}
          <time dateTime={item.createdAt} title={fullTime(item.createdAt)}>
            {timeAgo(item.createdAt)}
          </time>
        </span>
        <span className="inbox-place">
          {item.versionId && 'Validation feedback · '}
          {item.documentId !== meta?.id && `${item.documentTitle} · `}
          {item.anchorLabel}
          {item.threadStatus === 'resolved' && ' · resolved'}
        </span>
        <CommentBody body={item.excerpt} members={meta?.members ?? []} me={me} />
      </button>
    </li>
  );
}

/**
 * The member's inbox: comments that mention them and replies in threads they take part in, across
 * the documents of the dialogue, newest first, unread ones marked. Opening one marks it read and shows
 * the thread.
 */
export function InboxPanel() {
  const dialogueId = useDocumentPage((s) => s.meta?.dialogueId ?? null);
  const inbox = useComments((s) => s.inbox);

  useEffect(() => {
    if (dialogueId) void loadInbox(dialogueId);
  }, [dialogueId]);

  if (!dialogueId || inbox.status === 'idle' || (inbox.status === 'loading' && inbox.items.length === 0)) {
    return <p className="panel-empty">Loading your mentions…</p>;
  }
  return (
    <div className="inbox-panel" data-testid="inbox-panel">
      <div className="inbox-toolbar">
        <span>{inbox.unread === 0 ? 'All read' : `${inbox.unread} unread`}</span>
        {inbox.unread > 0 && (
          <button type="button" className="link-button" onClick={() => void markInboxRead(dialogueId, { all: true })}>
            Mark all as read
          </button>
        )}
      </div>
      {inbox.status === 'error' && (
        <div className="panel-error" role="alert">
          <p>Your mentions could not be loaded: {inbox.error}</p>
          <button type="button" className="quiet-button small" onClick={() => void loadInbox(dialogueId)}>
            Try again
          </button>
        </div>
      )}
      {inbox.items.length === 0 && inbox.status === 'ready' ? (
        <p className="panel-empty">No mentions or replies yet. When someone mentions you or answers your thread, it shows here.</p>
      ) : (
        <ul className="inbox-list">
          {inbox.items.map((item) => (
            <Item key={item.id} item={item} dialogueId={dialogueId} />
          ))}
        </ul>
      )}
    </div>
  );
}
