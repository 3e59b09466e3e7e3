/** Node-only helpers (file system, node:crypto): `import { defaultFontBytes, nodeDigester } from '@inkan/pades/node'`. */
export { defaultFontBytes } from './appearance/font-node.ts';
export { nodeDigester } from './node-digest.ts';
