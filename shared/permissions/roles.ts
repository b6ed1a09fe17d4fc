/** The roles a member of a dialogue can have (PRODUCT.md §1). */
export const roles = ['secretariat', 'co_chair', 'drafter', 'panel', 'observer', 'validator'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/** How a role is named to people. */
export const roleLabels: Record<Role, string> = {
  secretariat: 'Secretariat',
  co_chair: 'Co-Chair',
  drafter: 'Steering group',
  panel: 'Expert panel',
  observer: 'Observer',
  validator: 'Validator',
};

/** The colour of a role, used for cursors, selections, presence and change marks. */
export const roleColors: Record<Role, string> = {
  secretariat: '#6d28d9',
  co_chair: '#b45309',
  drafter: '#0f766e',
  panel: '#1d4ed8',
  observer: '#64748b',
  validator: '#be185d',
};
