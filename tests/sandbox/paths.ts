import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The project's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
