import MiniSearch from 'minisearch';
import { normaliseText } from '@app/embedding';

/**
 * Chinese has no spaces, so the lexical index works on overlapping character bigrams (电池回收 -> 电池, 池回, 回收),
 * the usual baseline for Chinese retrieval; runs of Latin letters and digits stay whole words.
 */
export function bigrams(text: string): string[] {
  let normalised: string;
  try {
    normalised = normaliseText(text).toLowerCase();
  } catch {
    return [];
  }
  const terms: string[] = [];
  for (const run of normalised.match(/\p{Script=Han}+|[\p{Script=Latin}\p{N}]+/gu) ?? []) {
    if (!/\p{Script=Han}/u.test(run) || run.length === 1) terms.push(run);
    else for (let i = 0; i + 1 < run.length; i++) terms.push(run.slice(i, i + 2));
  }
  return terms;
}

interface Doc {
  id: string;
  text: string;
}

const OPTIONS = {
  fields: ['text'],
  storeFields: [] as string[],
  tokenize: bigrams,
  processTerm: (term: string) => term,
  searchOptions: { tokenize: bigrams, processTerm: (term: string) => term, combineWith: 'OR' as const },
};

/** BM25 over character bigrams (MiniSearch), with the add/replace/remove a changing catalogue needs. */
export class LexicalCollection {
  private index = new MiniSearch<Doc>(OPTIONS);

  upsert(id: string, text: string): void {
    if (this.index.has(id)) this.index.replace({ id, text });
    else this.index.add({ id, text });
  }

  remove(id: string): void {
    if (this.index.has(id)) this.index.discard(id);
  }

  /** Best-first ids and BM25 scores; `accept` restricts the result set. */
  search(query: string, k: number, accept?: (id: string) => boolean): { id: string; score: number }[] {
    const results = this.index.search(query, accept ? { filter: (r) => accept(r.id as string) } : undefined);
    return results.slice(0, k).map((r) => ({ id: r.id as string, score: r.score }));
  }

  get size(): number {
    return this.index.documentCount;
  }

  toJSON(): string {
    return JSON.stringify(this.index);
  }

  load(json: string): void {
    this.index = MiniSearch.loadJSON<Doc>(json, OPTIONS);
  }
}
