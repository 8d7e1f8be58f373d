import path from 'node:path';

/** The repository's root, for tests that start its scripts as processes. */
export const ROOT = path.resolve(__dirname, '../..');
