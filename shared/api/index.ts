export * from './audit';
export * from './documents';
export * from './errors';
export * from './members';
export * from './session';
export * from './threads';
