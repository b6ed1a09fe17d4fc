export { type CompareSide, compareDocuments, isIdentical, summarize } from './compare';
export { bracketOpening, displayText } from './displayText';
export { redlineSide, wordRedline } from './redline';
export type * from './types';
