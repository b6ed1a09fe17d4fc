import { roleLabels } from '@shared/permissions';
import { useDocumentPage } from '../stores/documentPage';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p?.[0]?.toUpperCase() ?? '').join('') || '?';
}

/** The people in the document now, as avatars in their role colour (one per person). */
export function PresenceList() {
  const presence = useDocumentPage((s) => s.presence);
  if (presence.length === 0) return null;
  return (
    <ul className="presence-list" aria-label="People in this document">
      {presence.map((person) => {
        const label = `${person.name}${person.isSelf ? ' (you)' : ''}${person.role ? ` — ${roleLabels[person.role]}` : ''}`;
        return (
          <li
            key={person.userId}
            className="presence-item"
            data-testid="presence-item"
            data-user-id={person.userId}
            title={label}
            style={{ backgroundColor: person.color }}
          >
            <span aria-hidden="true">{initials(person.name)}</span>
            <span className="visually-hidden">{label}</span>
          </li>
        );
      })}
    </ul>
  );
}
