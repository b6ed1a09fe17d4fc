export * from './audit';
export * from './documents';
export * from './errors';
export * from './members';
export * from './rounds';
export * from './session';
export * from './negotiation';
export * from './versions';
