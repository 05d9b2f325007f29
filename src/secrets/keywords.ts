/**
 * Which rule keywords a file contains, in one pass over its bytes: an Aho-Corasick automaton
 * (as gitleaks uses) with ASCII case folding, so neither a lower-cased copy of the text nor a
 * decoded string is made for files that contain no keyword. Keywords are matched as lower-case
 * ASCII; a non-ASCII keyword is refused rather than half-matched.
 *
 * Bytes are first mapped to classes (one per character the keywords use, upper case folded onto
 * lower, the rest 0), which keeps the transition table small enough to stay in cache.
 */
const NONE: readonly number[] = [];

export class KeywordIndex {
  private readonly classOf = new Uint8Array(256);
  /**
   * Full transition table, failure links folded in, states stored pre-multiplied by `width`:
   * from the row at `r`, a byte of class `c` leads to the row at table[r + c].
   */
  private readonly table: Int32Array;
  /** For each state's row, the keywords that end there (its own and its suffixes'). */
  private readonly output: readonly (readonly number[])[];
  /** 1 where `output` is not empty: the hot loop reads a byte, not an array. */
  private readonly ends: Uint8Array;

  constructor(readonly keywords: readonly string[]) {
    let width = 1;
    for (const word of keywords) {
      if (word === '' || !/^[\x20-\x7e]+$/.test(word)) throw new Error(`keyword ${JSON.stringify(word)}`);
      for (const byte of Buffer.from(word.toLowerCase(), 'latin1')) {
        if (this.classOf[byte] === 0) this.classOf[byte] = width++;
      }
    }
    if (width > 255) throw new Error('too many distinct keyword characters');
    for (let upper = 0x41; upper <= 0x5a; upper++) this.classOf[upper] = this.classOf[upper | 0x20] as number;

    const next: number[][] = [[]];
    const ends: number[][] = [[]];
    keywords.forEach((word, index) => {
      let state = 0;
      for (const byte of Buffer.from(word.toLowerCase(), 'latin1')) {
        const edges = next[state] as number[];
        const c = this.classOf[byte] as number;
        if (edges[c] === undefined) {
          edges[c] = next.length;
          next.push([]);
          ends.push([]);
        }
        state = edges[c] as number;
      }
      (ends[state] as number[]).push(index);
    });
    const table = new Int32Array(next.length * width);
    const fail = new Int32Array(next.length);
    // Breadth first, so a state's failure target is complete before the state is.
    const queue: number[] = [];
    for (let c = 1; c < width; c++) {
      const child = (next[0] as number[])[c];
      if (child !== undefined) {
        table[c] = child;
        queue.push(child);
      }
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const f = fail[state] as number;
      (ends[state] as number[]).push(...(ends[f] as number[]));
      // Class 0 (a byte no keyword has) always leads back to the root: the table's zero.
      for (let c = 1; c < width; c++) {
        const child = (next[state] as number[])[c];
        const viaFail = table[f * width + c] as number;
        if (child === undefined) {
          table[state * width + c] = viaFail;
        } else {
          fail[child] = viaFail;
          table[state * width + c] = child;
          queue.push(child);
        }
      }
    }
    for (let i = 0; i < table.length; i++) table[i] = (table[i] as number) * width;
    this.table = table;
    // Indexed by row, like the table, so the hot loop does no division.
    this.output = Array.from({ length: table.length }, (_, row) =>
      row % width === 0 ? (ends[row / width] as number[]) : NONE,
    );
    this.ends = Uint8Array.from(this.output, (words) => (words.length > 0 ? 1 : 0));
  }

  /** Indices of the keywords found anywhere in `content`, case-insensitively (ASCII). */
  find(content: Uint8Array): Set<number> {
    const found = new Set<number>();
    const { table, output, classOf, ends } = this;
    let row = 0;
    for (let i = 0; i < content.length; i++) {
      row = table[row + (classOf[content[i] as number] as number)] as number;
      if (ends[row] === 1) for (const word of output[row] as readonly number[]) found.add(word);
    }
    return found;
  }
}
