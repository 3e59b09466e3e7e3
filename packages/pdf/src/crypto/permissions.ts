/** User access permissions of the standard security handler (ISO 32000-2 §7.6.4.2, Table 22, /P bits). */
export interface Permissions {
  /** Bit 3: print. */
  print: boolean;
  /** Bit 4: modify contents other than by bits 6, 9, 11. */
  modify: boolean;
  /** Bit 5: copy / extract text and graphics. */
  copy: boolean;
  /** Bit 6: add or modify annotations, fill form fields (incl. signature fields). */
  annotate: boolean;
  /** Bit 9: fill existing form fields, including signing existing signature fields (R ≥ 3). */
  fillForms: boolean;
  /** Bit 10: extract for accessibility. */
  extractForAccessibility: boolean;
  /** Bit 11: assemble (insert, rotate, delete pages, bookmarks). */
  assemble: boolean;
  /** Bit 12: faithful (high quality) print. */
  printHighQuality: boolean;
}

/** Decodes /P; with the owner password every permission is granted (§7.6.4.1). */
export function decodePermissions(p: number, owner = false): Permissions {
  const bit = (n: number): boolean => owner || (p & (1 << (n - 1))) !== 0;
  return {
    print: bit(3),
    modify: bit(4),
    copy: bit(5),
    annotate: bit(6),
    fillForms: bit(9) || bit(6),
    extractForAccessibility: bit(10),
    assemble: bit(11),
    printHighQuality: bit(12)
  };
}
