/** What an overlay (e.g. signature fields) needs to draw on top of a rendered page. */
export interface PageGeometry {
  pageNumber: number;
  /** CSS pixels. */
  width: number;
  height: number;
  /** PDF points → CSS pixels. */
  scale: number;
}
