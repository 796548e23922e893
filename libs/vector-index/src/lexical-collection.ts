import { normaliseText } from '@app/embedding';

/**
 * Chinese has no spaces, so the lexical index works on overlapping character bigrams (电池回收 -> 电池, 池回, 回收),
 * the usual baseline for Chinese retrieval; runs of Latin letters and digits stay whole words.
 */
export function bigrams(text: string): string[] {
  return runsOf(text).flatMap(termsOfRun);
}

// Normalising (Traditional -> Simplified) is the costly step, and a need's text is read once for the lexical search
// and again for each candidate's explanation: the runs of recent texts are kept.
const recentRuns = new Map<string, readonly string[]>();
const RECENT_RUNS = 2_000;

/** The runs of Han characters, and of Latin letters and digits, of a text as the index reads it. */
function runsOf(text: string): readonly string[] {
  let runs = recentRuns.get(text);
  if (runs) return runs;
  try {
    runs =
      normaliseText(text)
        .toLowerCase()
        .match(/\p{Script=Han}+|[\p{Script=Latin}\p{N}]+/gu) ?? [];
  } catch {
    runs = [];
  }
  if (recentRuns.size >= RECENT_RUNS) recentRuns.delete(recentRuns.keys().next().value!);
  recentRuns.set(text, runs);
  return runs;
}

function termsOfRun(run: string): string[] {
  if (!/\p{Script=Han}/u.test(run) || run.length === 1) return [run];
  return Array.from({ length: run.length - 1 }, (_, i) => run.slice(i, i + 2));
}

/**
 * The phrases of a text made of terms that pass `shared`, as a reader would name them: overlapping shared bigrams
 * join back into the word they came from (盾构 + 构机 -> 盾构机), each with its terms.
 */
export function sharedPhrases(text: string, shared: (term: string) => boolean): { phrase: string; terms: string[] }[] {
  const phrases: { phrase: string; terms: string[] }[] = [];
  for (const run of runsOf(text)) {
    const terms = termsOfRun(run);
    if (terms.length === 1) {
      if (shared(run)) phrases.push({ phrase: run, terms });
      continue;
    }
    let start = -1;
    for (let i = 0; i <= terms.length; i++) {
      const on = i < terms.length && shared(terms[i]);
      if (on && start < 0) start = i;
      if (!on && start >= 0) {
        phrases.push({ phrase: run.slice(start, i + 1), terms: terms.slice(start, i) });
        start = -1;
      }
    }
  }
  return phrases;
}

/** How rare each term is in a collection (BM25's inverse document frequency), and how many documents it has. */
export interface Rarity {
  idf(term: string): number;
  readonly size: number;
}

const K1 = 1.2;
const B = 0.75;

interface LexicalSnapshot {
  ids: (string | null)[];
  lengths: number[];
  postings: [string, number[], number[]][];
}

/**
 * BM25 (k1 1.2, b 0.75) over character bigrams, with the add/replace/remove a changing catalogue needs: an inverted
 * index of postings per term. A replaced or removed document is tombstoned and skipped. Written for this use
 * because general-purpose engines (MiniSearch was tried) index Chinese bigrams ten times slower: 0.8 ms a document,
 * 80 s for 100,000 abstracts.
 */
export class LexicalCollection implements Rarity {
  private ids: (string | null)[] = [];
  private lengths: number[] = [];
  /** A hash of each document's text: a record stored again with the same text (its vector arrived) keeps its entry. */
  private fingerprints: number[] = [];
  private readonly slots = new Map<string, number>();
  private postings = new Map<string, { docs: number[]; tfs: number[] }>();
  private live = 0;
  private totalLength = 0;
  /** The score accumulator of `search`, all zeros between searches. */
  private scratch = new Float64Array(0);

  constructor(private readonly analyse: (text: string) => string[] = bigrams) {}

  upsert(id: string, text: string): void {
    const fingerprint = fnv1a(text);
    const current = this.slots.get(id);
    if (current !== undefined && this.fingerprints[current] === fingerprint) return;
    this.remove(id);
    const counts = new Map<string, number>();
    const terms = this.analyse(text);
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    const doc = this.ids.length;
    this.ids.push(id);
    this.lengths.push(terms.length);
    this.fingerprints.push(fingerprint);
    this.slots.set(id, doc);
    this.live++;
    this.totalLength += terms.length;
    for (const [term, tf] of counts) {
      let p = this.postings.get(term);
      if (!p) this.postings.set(term, (p = { docs: [], tfs: [] }));
      p.docs.push(doc);
      p.tfs.push(tf);
    }
  }

  remove(id: string): void {
    const doc = this.slots.get(id);
    if (doc === undefined) return;
    this.slots.delete(id);
    this.ids[doc] = null;
    this.live--;
    this.totalLength -= this.lengths[doc];
    if (this.ids.length > 2 * this.live + 1000) this.compact();
  }

  /** Drops the postings of removed documents once they outnumber the live ones. */
  private compact(): void {
    const renumber = new Map<number, number>();
    const ids: string[] = [];
    const lengths: number[] = [];
    const fingerprints: number[] = [];
    this.ids.forEach((id, doc) => {
      if (id === null) return;
      renumber.set(doc, ids.length);
      this.slots.set(id, ids.length);
      ids.push(id);
      lengths.push(this.lengths[doc]);
      fingerprints.push(this.fingerprints[doc]);
    });
    for (const [term, p] of this.postings) {
      const docs: number[] = [];
      const tfs: number[] = [];
      p.docs.forEach((doc, i) => {
        const to = renumber.get(doc);
        if (to === undefined) return;
        docs.push(to);
        tfs.push(p.tfs[i]);
      });
      if (docs.length === 0) this.postings.delete(term);
      else this.postings.set(term, { docs, tfs });
    }
    this.ids = ids;
    this.lengths = lengths;
    this.fingerprints = fingerprints;
  }

  /** Best-first ids and BM25 scores; `accept` restricts the result set. */
  search(query: string, k: number, accept?: (id: string) => boolean): { id: string; score: number }[] {
    // A dense accumulator and a list of the documents touched: far cheaper than a Map on long posting lists. The
    // accumulator is kept between searches (a fresh one per search was megabytes to zero and collect at 100k
    // records); the entries a search touched are zeroed again before it returns.
    if (this.scratch.length < this.ids.length) this.scratch = new Float64Array(Math.ceil(this.ids.length * 1.5));
    const scores = this.scratch;
    const touched: number[] = [];
    const avg = this.totalLength / Math.max(1, this.live);
    for (const term of new Set(this.analyse(query))) {
      const p = this.postings.get(term);
      if (!p) continue;
      const idf = this.idf(term);
      for (let i = 0; i < p.docs.length; i++) {
        const doc = p.docs[i];
        if (this.ids[doc] === null) continue;
        const tf = p.tfs[i];
        if (scores[doc] === 0) touched.push(doc);
        scores[doc] += (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * this.lengths[doc]) / avg));
      }
    }
    // Top k by insertion into a short sorted list; `accept` is asked only of documents that would enter it.
    const best: number[] = [];
    for (const doc of touched) {
      const score = scores[doc];
      if (best.length === k && score <= scores[best[k - 1]]) continue;
      if (accept && !accept(this.ids[doc]!)) continue;
      let at = best.length;
      while (at > 0 && scores[best[at - 1]] < score) at--;
      best.splice(at, 0, doc);
      if (best.length > k) best.pop();
    }
    const hits = best.map((doc) => ({ id: this.ids[doc]!, score: scores[doc] }));
    for (const doc of touched) scores[doc] = 0;
    return hits;
  }

  /**
   * BM25's inverse document frequency of a term: a term no document has is as rare as can be. Postings keep the
   * entries of replaced documents until compaction (a record whose text changed), so the count is scaled by the
   * share of live entries.
   */
  idf(term: string): number {
    const entries = this.postings.get(term)?.docs.length ?? 0;
    const df = this.ids.length > 0 ? (entries * this.live) / this.ids.length : 0;
    return Math.log(1 + (this.live - df + 0.5) / (df + 0.5));
  }

  /**
   * The inverse document frequency of a term among only the live documents `accept` admits, `size` of them: the
   * postings are counted one by one (an entry of a replaced document has no id any more and is not).
   */
  idfAmong(term: string, accept: (id: string) => boolean, size: number): number {
    let df = 0;
    for (const doc of this.postings.get(term)?.docs ?? []) {
      const id = this.ids[doc];
      if (id !== null && accept(id)) df++;
    }
    return Math.log(1 + (size - df + 0.5) / (df + 0.5));
  }

  get size(): number {
    return this.live;
  }

  toJSON(): string {
    const snapshot: LexicalSnapshot = {
      ids: this.ids,
      lengths: this.lengths,
      postings: [...this.postings].map(([t, p]) => [t, p.docs, p.tfs]),
    };
    return JSON.stringify(snapshot);
  }

  load(json: string): void {
    const s = JSON.parse(json) as LexicalSnapshot;
    this.ids = s.ids;
    this.lengths = s.lengths;
    // Not in the snapshot: the first catch-up of each document after a restart replaces its entry once.
    this.fingerprints = s.lengths.map(() => -1);
    this.postings = new Map(s.postings.map(([t, docs, tfs]) => [t, { docs, tfs }]));
    this.slots.clear();
    this.live = 0;
    this.totalLength = 0;
    s.ids.forEach((id, doc) => {
      if (id === null) return;
      this.slots.set(id, doc);
      this.live++;
      this.totalLength += s.lengths[doc];
    });
  }
}

/** 32-bit FNV-1a of a text's UTF-16 code units: cheap, and a collision only costs a missed re-index of changed text
 * with the same hash (one in four billion). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
