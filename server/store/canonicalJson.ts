// Moved to shared/ so that the browser and the version verifier hash exactly as the server does.
export { canonicalJson } from '@shared/canonicalJson';
