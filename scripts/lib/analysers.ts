import { words } from '@app/assistant';
import { bigrams } from '@app/vector-index';

// The lexical analysers eval:matching compares (docs/measurements.md, "Lexical analyser"); the service ships bigrams.
// jieba words are the demand assistant's (its keyword suggestions).
export { words };

/** Both fields in one bag: bigrams, and words of two or more characters marked apart. */
export function bigramsAndWords(text: string): string[] {
  return [...bigrams(text), ...words(text).flatMap((w) => (w.length >= 2 ? [`w:${w}`] : []))];
}

export const ANALYSERS = { words, both: bigramsAndWords } as const;
