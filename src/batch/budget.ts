/**
 * The memory of files in flight: each file reserves what its decoded pixels
 * will take before it is decoded, and waits (in input order) while the
 * reservations in flight would pass the budget. A file bigger than the whole
 * budget runs alone, so a 64-MP photo or a decompression bomb just under
 * --max-pixels is decoded once at a time, never once per slot or worker.
 */
import { totalmem } from 'node:os';

/**
 * Bytes per decoded pixel, counted generously: sharp's raw RGB (3), the
 * linear-gray Float32 (4), the binary output (1), and libvips' own buffers
 * while it decodes. A colour pipeline's Float32 RGB takes more, a JPEG
 * shrunk on load much less.
 */
export const BYTES_PER_PIXEL = 16;

/** The default budget: 1 GiB, or a quarter of the machine's memory when that is less. */
export function defaultBudget(): number {
  return Math.max(256 * 2 ** 20, Math.min(2 ** 30, Math.floor(totalmem() / 4)));
}

/** A byte budget that reservations wait on, first come first served. */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: Array<{ bytes: number; go: () => void }> = [];
  constructor(readonly limit: number) {}

  /** Resolves when `bytes` fit (or nothing else is in flight); pair with release(bytes). */
  reserve(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) {
      this.used += bytes;
      return Promise.resolve();
    }
    return new Promise((go) => this.waiting.push({ bytes, go }));
  }

  release(bytes: number): void {
    this.used -= bytes;
    while (this.waiting.length > 0 && this.fits(this.waiting[0].bytes)) {
      const w = this.waiting.shift()!;
      this.used += w.bytes;
      w.go();
    }
  }

  /** Wakes every waiter (cancel): they proceed and find the run stopped. */
  drain(): void {
    for (const w of this.waiting.splice(0)) w.go();
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }
}
