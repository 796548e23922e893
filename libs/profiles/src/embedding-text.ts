import { createHash } from 'node:crypto';
import { DISCIPLINES, industryDivision } from '@app/taxonomy';
import type { ProfileInput, ProfileKind } from './profiles.types';
import { withoutConfidential } from './visibility';

/** Any fields of a record of the kind (a stored record, a DTO, a merge of both). */
type Fields<K extends ProfileKind> = ProfileInput<K>;

const str = (v: string | null | undefined) => v ?? '';
const list = (v: readonly string[] | null | undefined) => v ?? [];
const industryNames = (codes: readonly string[]) => codes.map((c) => industryDivision(c)?.name ?? '').filter(Boolean);
const disciplineNames = (codes: readonly string[]) =>
  codes.map((c) => DISCIPLINES[c.slice(0, 3)] ?? '').filter(Boolean);

/**
 * All the text of a profile, as the fields given hold it (for a demand shown in its public form, its public text).
 * The model keeps the first 512 tokens, so the most telling part comes first: title, then the abstract or
 * description, then keywords and field names.
 */
export function profileText<K extends ProfileKind>(kind: K, fields: Fields<K>): string {
  const parts: string[] = [];
  switch (kind) {
    case 'achievement': {
      const f = fields as Fields<'achievement'>;
      parts.push(str(f.title), str(f.abstract), list(f.keywords).join('、'));
      break;
    }
    case 'demand': {
      const f = fields as Fields<'demand'>;
      parts.push(str(f.title), str(f.description), list(f.keywords).join('、'));
      break;
    }
    case 'expert': {
      const f = fields as Fields<'expert'>;
      parts.push(str(f.expertise), disciplineNames(list(f.disciplineCodes)).join('、'));
      break;
    }
    case 'broker': {
      const f = fields as Fields<'broker'>;
      parts.push(str(f.expertise), industryNames(list(f.industryCodes)).join('、'));
      break;
    }
  }
  return parts.filter((p) => p.trim().length > 0).join('\n');
}

/**
 * The text of the vector everyone's searches reach (the shared index, others' matches, lead scores): the public
 * form only. A demand's confidential description or keywords would otherwise be recoverable by a paraphrased search.
 */
export function embeddingText<K extends ProfileKind>(kind: K, f: Fields<K>): string {
  return profileText(kind, kind === 'demand' ? withoutConfidential(f) : f);
}

/**
 * The text of a demand's private vector, when its confidential fields hold text: what its owner's own match requests
 * search with. It is never put into the shared index. Null when the public text is the whole text.
 */
export function privateEmbeddingText<K extends ProfileKind>(kind: K, f: Fields<K>): string | null {
  if (kind !== 'demand') return null;
  const full = profileText(kind, f);
  return full === embeddingText(kind, f) ? null : full;
}

/**
 * Changes exactly when a text to embed changes; an unchanged hash is never embedded again. A record without private
 * text keeps the hash of its shared text alone.
 */
export function embeddingHash<K extends ProfileKind>(kind: K, f: Fields<K>): string {
  const shared = embeddingText(kind, f);
  const hidden = privateEmbeddingText(kind, f);
  return contentHash(hidden === null ? shared : `${shared}\u0001${hidden}`);
}

function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
