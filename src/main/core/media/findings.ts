import type { FindingCategory } from './tag-classify';

export type FindingSource = 'container' | 'stream' | 'exif' | 'xmp' | 'bytes' | 'sidecar' | 'subtitle' | 'data';

/** One location / identity / device trace found in a source file or its sidecar (sealed into the clip report). */
export interface MetadataFinding {
  category: FindingCategory;
  source: FindingSource;
  field: string;
  value: string;
  file: string;
  /** Parsed coordinate when the value is (part of) a position; lets needles.ts emit every notation. */
  lat?: number;
  lon?: number;
}

/** Collects findings without duplicates (the same value is often visible through several readers). */
export class FindingList {
  private readonly seen = new Set<string>();
  readonly items: MetadataFinding[] = [];

  add(f: MetadataFinding): void {
    const value = f.value.trim().slice(0, 2048);
    if (!value) return;
    const key = `${f.category}\u0000${f.source}\u0000${f.field}\u0000${value}\u0000${f.file}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ ...f, value });
  }
}
