import { createHash } from 'node:crypto';
import { DISCIPLINES, industryDivision } from '@app/taxonomy';
import type { ProfileKind } from './profiles.types';

type Fields = Record<string, unknown>;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
const industryNames = (codes: string[]) => codes.map((c) => industryDivision(c)?.name ?? '').filter(Boolean);
const disciplineNames = (codes: string[]) => codes.map((c) => DISCIPLINES[c.slice(0, 3)] ?? '').filter(Boolean);

/**
 * The text a profile is embedded from. The model keeps the first 512 tokens, so the most telling part comes first:
 * title, then the abstract or description, then keywords and field names.
 */
export function embeddingText(kind: ProfileKind, f: Fields): string {
  const parts: string[] = [];
  switch (kind) {
    case 'achievement':
      parts.push(str(f.title), str(f.abstract), list(f.keywords).join('、'));
      break;
    case 'demand':
      parts.push(str(f.title), str(f.description), list(f.keywords).join('、'));
      break;
    case 'expert':
      parts.push(str(f.expertise), disciplineNames(list(f.disciplineCodes)).join('、'));
      break;
    case 'broker':
      parts.push(str(f.expertise), industryNames(list(f.industryCodes)).join('、'));
      break;
  }
  return parts.filter((p) => p.trim().length > 0).join('\n');
}

/** Changes exactly when the embedding text changes; an unchanged hash is never embedded again. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
