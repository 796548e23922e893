import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One paper of the CSL dev split (../shared/eval-data/csl-dev): the four files are row-aligned. */
export interface CslPaper {
  title: string;
  abstract: string;
  keywords: string[];
  discipline: string;
}

export function readCsl(dir: string): CslPaper[] {
  const column = (file: string, index: number) =>
    readFileSync(join(dir, file, 'dev.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('\t')[index]);
  const titles = column('ts', 2);
  const abstracts = column('ts', 1);
  const keywords = column('kg', 2);
  const disciplines = column('cls_dcp', 2);
  return titles.map((title, i) => ({
    title,
    abstract: abstracts[i],
    keywords: keywords[i].split('_'),
    discipline: disciplines[i],
  }));
}
