/** Node-only helpers (file system): `import { defaultFontBytes } from '@inkan/pades/node'`. */
export { defaultFontBytes } from './appearance/font-node.ts';
