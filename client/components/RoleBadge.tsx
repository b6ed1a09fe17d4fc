import { type Role, roleColors, roleLabels } from '@shared/permissions';
import type { CSSProperties } from 'react';

/** The user's role on a document, as a small tinted label in the role's colour. */
export function RoleBadge({ role }: { role: Role }) {
  const style = { '--role-color': roleColors[role] } as CSSProperties;
  return (
    <span className="role-badge" data-testid="role-badge" data-role={role} style={style}>
      {roleLabels[role]}
    </span>
  );
}
