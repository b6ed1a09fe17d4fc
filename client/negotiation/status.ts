import type { ClauseStatus } from '@shared/permissions';

/** How each clause status is shown: label and colour. */
export const statusLabels: Record<ClauseStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  bracketed: 'Bracketed',
  agreed: 'Agreed',
  withdrawn: 'Withdrawn',
};

export const statusColors: Record<ClauseStatus, string> = {
  draft: '#64748b',
  proposed: '#2563eb',
  bracketed: '#b45309',
  agreed: '#15803d',
  withdrawn: '#9f1239',
};
