/**
 * The demand assistant's suggestions, measured where labels exist, through its own pure functions:
 * - discipline suggested for an abstract: the pool's papers (a CSL split: title, abstract, keywords, discipline)
 *   stand for the catalogue's labelled records, the queries (FewCLUE CSLDCP JSON Lines, or a CSL `cls_dcp` TSV) for
 *   drafts. `assistant` is suggestFields over the disciplines' prototypes and names, as POST /v1/demands/assist does
 *   for industries; next to it the similarity to the names alone (`labelNames`), a similarity-weighted vote of the 10
 *   nearest papers (`knn10`) and the pool's most common discipline (`majority`). Top-1 and top-3 accuracy.
 * - keywords suggested for a paper (its title and abstract as the draft; the other papers as the catalogue): recall@5
 *   of the authors' own keywords, `assistant` (suggestKeywords with the nearest 10 papers as neighbours) next to the
 *   plain TF-IDF terms of the text (`tfidf`: jieba words by tf x idf over the pool). Other rarities of the same rule
 *   are printed beside it.
 *
 *   npm run eval:assist [-- --pool DIR --queries FILE --json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { generalIdf, labelPrototypes, suggestFields, suggestKeywords, wordRarity, words } from '@app/assistant';
import { loadConfig } from '@app/config';
import { dot, Embedder, EmbeddingService, resolveModel } from '@app/embedding';
import { embeddingText } from '@app/profiles';
import { bigrams, LexicalCollection, VectorCollection } from '@app/vector-index';
import { readCsl, type CslPaper } from './lib/csl';
import { mean } from './lib/retrieval-metrics';

const DATA = join(__dirname, '../../shared/eval-data');
const program = new Command()
  .option('--pool <dir>', 'a CSL split: the labelled catalogue', join(DATA, 'csl-dev'))
  .option('--queries <file>', 'FewCLUE JSON Lines, or a CSL cls_dcp TSV', join(DATA, 'fewclue-csldcp/test_public.json'))
  .option('--json', 'print the numbers as one JSON object')
  .parse();

const NEIGHBOURS = 10;

interface Query {
  text: string;
  label: string;
}

/** FewCLUE CSLDCP lines ({"content", "label"}), or the rows of a CSL cls_dcp TSV (prompt, abstract, discipline). */
function readQueries(file: string): Query[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  if (lines[0]?.trimStart().startsWith('{'))
    return lines.map((l) => {
      const { content, label } = JSON.parse(l) as { content: string; label: string };
      return { text: content, label };
    });
  return lines.map((l) => {
    const [, text, label] = l.split('\t');
    return { text, label };
  });
}

interface Accuracy {
  top1: number;
  top3: number;
}

function accuracy(ranked: string[][], labels: string[]): Accuracy {
  const pct = (k: number) => round(100 * mean(ranked.map((r, i) => (r.slice(0, k).includes(labels[i]) ? 1 : 0))));
  return { top1: pct(1), top3: pct(3) };
}

async function main(): Promise<void> {
  const opts = program.opts<{ pool: string; queries: string; json?: boolean }>();
  const say = (m: string) => opts.json || console.error(m);
  const config = loadConfig();
  const model = await resolveModel(config.embedding.modelsDir, config.embedding.model);
  const embedder = await Embedder.load(model, {
    batchSize: config.embedding.batchSize,
    threads: config.embedding.threads,
  });
  const passages = new EmbeddingService(embedder, '');
  const queries = new EmbeddingService(embedder, model.queryInstruction);

  const pool = readCsl(opts.pool);
  const drafts = readQueries(opts.queries);
  const labels = [...new Set(pool.map((p) => p.discipline))].sort();
  const started = Date.now();
  const embedAll = async (service: EmbeddingService, texts: string[], role: 'query' | 'passage', what: string) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += 100) {
      out.push(...(await service.embed(texts.slice(i, i + 100), role)));
      say(`${what}: ${out.length} / ${texts.length} embedded (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    return out;
  };
  const text = (p: CslPaper) =>
    embeddingText('achievement', { title: p.title, abstract: p.abstract, keywords: p.keywords });
  const poolVectors = await embedAll(passages, pool.map(text), 'passage', 'pool');
  const draftVectors = await embedAll(
    queries,
    drafts.map((d) => d.text),
    'query',
    'queries',
  );
  const draftsAsPapers = await embedAll(
    queries,
    pool.map((p) => `${p.title}\n${p.abstract}`),
    'query',
    'pool as drafts',
  );
  const nameVectors = await queries.embed(labels, 'query');

  // Disciplines.
  const truth = drafts.map((d) => d.label);
  const prototypes = labelPrototypes(pool.map((p, i) => ({ labels: [p.discipline], vector: poolVectors[i] })));
  const dense = new VectorCollection<null>(model.dimension);
  pool.forEach((_, i) => dense.upsert(String(i), poolVectors[i], null));
  const byNames = (v: Float32Array) => labels.map((label, i) => ({ label, similarity: dot(v, nameVectors[i]) }));
  const sortedBy = (scores: Map<string, number>) =>
    [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l]) => l);
  const counts = new Map<string, number>();
  for (const p of pool) counts.set(p.discipline, (counts.get(p.discipline) ?? 0) + 1);
  const discipline = {
    assistant: accuracy(
      draftVectors.map((v) =>
        suggestFields(
          [...prototypes].map(([label, p]) => ({ label, similarity: dot(v, p.vector), records: p.records })),
          byNames(v),
          3,
        ).suggestions.map((s) => s.label),
      ),
      truth,
    ),
    labelNames: accuracy(
      draftVectors.map((v) => sortedBy(new Map(byNames(v).map((n) => [n.label, n.similarity])))),
      truth,
    ),
    knn10: accuracy(
      draftVectors.map((v) => {
        const votes = new Map<string, number>();
        for (const h of dense.search(v, NEIGHBOURS).hits) {
          const label = pool[Number(h.id)].discipline;
          votes.set(label, (votes.get(label) ?? 0) + h.similarity);
        }
        return sortedBy(votes);
      }),
      truth,
    ),
    majority: accuracy(
      drafts.map(() => sortedBy(counts)),
      truth,
    ),
  };

  // Keywords, each paper left out of the catalogue it is measured against.
  const lexical = new LexicalCollection();
  const wordLexical = new LexicalCollection(words);
  const publicText = (p: CslPaper) => `${p.title} ${p.abstract}`;
  pool.forEach((p, i) => {
    lexical.upsert(String(i), text(p));
    wordLexical.upsert(String(i), text(p));
  });
  const rarities = {
    catalogue: (w: string) => Math.max(0, ...bigrams(w).map((b) => lexical.idf(b))),
    general: (w: string) => generalIdf(w),
    'catalogue x general': wordRarity(lexical),
  } as const;
  const recalls: Record<string, number[]> = {
    tfidf: [],
    ...Object.fromEntries(Object.keys(rarities).map((k) => [k, []])),
  };
  pool.forEach((p, i) => {
    lexical.remove(String(i));
    wordLexical.remove(String(i));
    const keywords = new Set(p.keywords.map((k) => words(k).join('')));
    const recall = (suggested: string[]) => [...keywords].filter((k) => suggested.includes(k)).length / keywords.size;
    const body = words(publicText(p));
    const tf = new Map<string, number>();
    for (const w of body) if ([...w].length >= 2) tf.set(w, (tf.get(w) ?? 0) + 1);
    recalls.tfidf.push(
      recall(
        [...tf]
          .map(([w, n]) => [w, n * wordLexical.idf(w)] as const)
          .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
          .slice(0, 5)
          .map(([w]) => w),
      ),
    );
    const neighbours = dense
      .search(draftsAsPapers[i], NEIGHBOURS + 1)
      .hits.filter((h) => h.id !== String(i))
      .slice(0, NEIGHBOURS)
      .map((h) => publicText(pool[Number(h.id)]));
    for (const [name, idf] of Object.entries(rarities))
      recalls[name].push(
        recall(suggestKeywords({ titleWords: words(p.title), words: body, idf, neighbours }).map((k) => k.keyword)),
      );
    lexical.upsert(String(i), text(p));
    wordLexical.upsert(String(i), text(p));
  });
  const recall5 = (name: string) => ({ recall5: round(100 * mean(recalls[name])) });
  const result = {
    discipline,
    keywords: { assistant: recall5('catalogue x general'), tfidf: recall5('tfidf') },
  };
  if (opts.json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(
    `model ${model.id}; pool ${pool.length} papers in ${labels.length} disciplines (${opts.pool}); ` +
      `${drafts.length} queries (${opts.queries})`,
  );
  console.log('\ndiscipline suggested for an abstract        top-1   top-3');
  for (const [name, a] of Object.entries(discipline))
    console.log(`${name.padEnd(42)} ${a.top1.toFixed(1).padStart(6)}  ${a.top3.toFixed(1).padStart(6)}`);
  console.log('\nauthor keywords in the first five suggested  recall@5');
  for (const name of Object.keys(recalls))
    console.log(
      `${(name === 'tfidf' ? 'tfidf' : `assistant, ${name} rarity`).padEnd(42)} ${recall5(name).recall5.toFixed(1).padStart(6)}`,
    );
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
