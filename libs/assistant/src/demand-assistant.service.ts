import { Injectable } from '@nestjs/common';
import { ForbiddenError, mayDraftDemands, type Actor } from '@app/access';
import { dot, EmbeddingService } from '@app/embedding';
import { MatchingService, needText, type Match, type Need } from '@app/matching';
import { publicFormOf, type CooperationMode } from '@app/profiles';
import { industryDivision, INDUSTRY_SECTIONS } from '@app/taxonomy';
import { SearchIndexService, type IndexMeta } from '@app/vector-index';
import {
  FIELD_TEMPERATURE,
  labelPrototypes,
  suggestFields,
  type FieldSuggestions,
  type PrototypeSimilarity,
} from './field-suggestion';
import { suggestKeywords, type KeywordSuggestion } from './keyword-suggestion';
import { loadSegmenter, words } from './segmenter';
import { wordRarity } from './word-rarity';

/** A demand as an enterprise drafts it: nothing is stored. */
export interface DemandDraft {
  title: string;
  description?: string;
  regionCode?: string;
  industryCode?: string;
  budgetMin?: number;
  budgetMax?: number;
}

export interface Basis {
  kind: 'achievement' | 'demand';
  id: string;
  title: string;
  similarity: number;
}

export interface Assistance {
  industry: Omit<FieldSuggestions, 'suggestions'> & {
    suggestions: { code: string; name: string; confidence: number; basis: Basis[] }[];
  };
  keywords: KeywordSuggestion[];
  /** What the nearest achievements offer: a floor most of them reach, the modes most of them take. */
  minReadinessLevel: { value: number; basis: Basis[] } | null;
  cooperationModes: { mode: CooperationMode; share: number }[];
  /** Open demands that look like the same need. */
  possibleDuplicates: Basis[];
  /** What the draft's wording would find: the best three matches, explained. */
  preview: (Pick<Match, 'id' | 'kind' | 'total' | 'explanation'> & { title: string })[];
}

/** Neighbours read for the votes and the keywords. */
const NEIGHBOURS = 10;
/** Nearest records of each kind searched for the ones a suggested industry rests on. */
const BASIS_NEIGHBOURS = 30;
/** A demand at least this similar to the draft is shown as a possible duplicate (bge-small-zh, query to passage). */
export const DUPLICATE_SIMILARITY = 0.8;
/** The industry prototypes are recomputed when the catalogue changed, at most this often. */
const PROTOTYPES_TTL_MS = 30_000;

const DIVISIONS = Object.values(INDUSTRY_SECTIONS).flatMap((s) =>
  Object.entries(s.divisions).map(([code, name]) => ({ code, name })),
);

interface Prototypes {
  generation: number;
  at: number;
  byDivision: Map<string, { vector: Float32Array; records: number }>;
}

/**
 * The demand assistant (凝练技术需求): from a draft's title and text, with one query embedding, suggests industry
 * divisions (a vote of the catalogue's labelled records, as class prototypes, mixed with the similarity to the
 * taxonomy's names, which decides on a small catalogue), rare keywords shared with the nearest achievements, the
 * readiness and cooperation modes those achievements offer, look-alike open demands, and a preview of its best
 * matches. It stores nothing and reads only what every party may read.
 */
@Injectable()
export class DemandAssistantService {
  private prototypes?: Prototypes;
  private names?: Promise<Float32Array[]>;

  constructor(
    private readonly embedding: EmbeddingService,
    private readonly index: SearchIndexService,
    private readonly matching: MatchingService,
  ) {}

  /**
   * Loads what the first draft would otherwise wait for, once per process: jieba's dictionary and IDF table and the
   * divisions' name vectors. Without it the first drafts after a start waited 1.5-2.3 s (bench:match's p99 at 100k).
   */
  async warmUp(): Promise<void> {
    loadSegmenter();
    await this.nameVectors();
  }

  async assist(actor: Actor, draft: DemandDraft): Promise<Assistance> {
    if (!mayDraftDemands(actor)) throw new ForbiddenError('draft demands');
    const text = [draft.title, draft.description].filter(Boolean).join('\n');
    const [vector, names] = await Promise.all([this.embedding.embedOne(text, 'query'), this.nameVectors()]);
    const visible = (m: IndexMeta) => m.public && m.organisationId !== actor.organisationId;
    // One search serves the votes' neighbours (the first NEIGHBOURS) and the records the suggestions rest on.
    const near = this.index.dense('achievement', vector, BASIS_NEIGHBOURS, visible).hits;
    const achievements = near.slice(0, NEIGHBOURS);
    const records = await this.index.currentRecords(
      'achievement',
      achievements.map((h) => h.id),
    );
    const nearest = achievements.flatMap((h) => {
      const r = records.get(h.id);
      return r ? [{ record: r, similarity: h.similarity }] : [];
    });
    const basisOf = (n: (typeof nearest)[number]): Basis => ({
      kind: 'achievement',
      id: n.record.id,
      title: n.record.title,
      similarity: round(n.similarity),
    });

    const industry = await this.industries(vector, names, near, visible);
    const offers = closeness(nearest);
    const keywords = suggestKeywords({
      titleWords: words(draft.title),
      words: words(text),
      // Rarity among published achievements only: drafts and private records must not move a suggestion.
      idf: wordRarity(this.index.publicRarity('achievement')),
      neighbours: nearest.map((n) => `${n.record.title} ${n.record.abstract}`),
    });

    const need: Need = {
      ...needText(text),
      industryCode: draft.industryCode ?? industry.suggestions[0]?.code ?? null,
      regionCode: draft.regionCode ?? '330000',
      minReadinessLevel: null,
      budgetMin: draft.budgetMin ?? null,
      budgetMax: draft.budgetMax ?? null,
      cooperationModes: [],
      greenPreferred: false,
    };
    const [preview, duplicates] = await Promise.all([
      this.matching.forNeed(actor, need, vector, 3),
      this.duplicates(actor, vector),
    ]);
    return {
      industry,
      keywords,
      minReadinessLevel: readinessFloor(
        offers.map((o) => ({ level: o.record.readinessLevel, weight: o.weight, basis: basisOf(o) })),
      ),
      cooperationModes: modeShares(offers.map((o) => ({ modes: o.record.cooperationModes, weight: o.weight }))),
      possibleDuplicates: duplicates,
      preview: preview.map((m) => ({
        id: m.id,
        kind: m.kind,
        title: (m.record as { title: string }).title,
        total: m.total,
        explanation: m.explanation,
      })),
    };
  }

  private async industries(
    vector: Float32Array,
    names: Float32Array[],
    achievements: readonly { id: string; similarity: number }[],
    visible: (m: IndexMeta) => boolean,
  ): Promise<Assistance['industry']> {
    const prototypes = this.currentPrototypes();
    const sims: PrototypeSimilarity[] = [...prototypes.byDivision].map(([label, p]) => ({
      label,
      similarity: dot(vector, p.vector),
      records: p.records,
    }));
    const result = suggestFields(
      sims,
      DIVISIONS.map((d, i) => ({ label: d.code, similarity: dot(vector, names[i]) })),
    );
    // The records each suggestion rests on: the nearest ones carrying its division.
    const near = [
      ...achievements.map((h) => ({ kind: 'achievement' as const, ...h })),
      ...this.index
        .dense('demand', vector, BASIS_NEIGHBOURS, visible)
        .hits.map((h) => ({ kind: 'demand' as const, ...h })),
    ].sort((a, b) => b.similarity - a.similarity);
    const suggestions = await Promise.all(
      result.suggestions.map(async (s) => {
        const hits = near
          .filter((h) => this.index.metaOf(h.kind, h.id)?.industries.some((c) => c.startsWith(s.label)))
          .slice(0, 3);
        return {
          code: s.label,
          name: industryDivision(s.label)?.name ?? s.label,
          confidence: s.confidence,
          basis: await this.titled(hits),
        };
      }),
    );
    return { suggestions, decidedBy: result.decidedBy };
  }

  private async duplicates(actor: Actor, vector: Float32Array): Promise<Basis[]> {
    const hits = this.index
      .dense('demand', vector, 5, (m) => m.status === 'open' && (m.public || m.organisationId === actor.organisationId))
      .hits.filter((h) => h.similarity >= DUPLICATE_SIMILARITY);
    return this.titled(hits.map((h) => ({ kind: 'demand' as const, ...h })));
  }

  /** Titles of records (a demand's public form): those still there. */
  private async titled(hits: { kind: 'achievement' | 'demand'; id: string; similarity: number }[]): Promise<Basis[]> {
    const ids = (k: 'achievement' | 'demand') => hits.filter((h) => h.kind === k).map((h) => h.id);
    const [achievements, demands] = await Promise.all([
      this.index.currentRecords('achievement', ids('achievement')),
      this.index.currentRecords('demand', ids('demand')),
    ]);
    return hits.flatMap((h) => {
      const r = h.kind === 'achievement' ? achievements.get(h.id) : demands.get(h.id);
      if (!r) return [];
      const title = h.kind === 'demand' ? publicFormOf(r as never).title : r.title;
      return [{ kind: h.kind, id: h.id, title, similarity: round(h.similarity) }];
    });
  }

  /** Each industry division's prototype: the normalised mean vector of the public records carrying it. */
  private currentPrototypes(): Prototypes {
    const generation = this.index.generation('achievement') + this.index.generation('demand');
    const p = this.prototypes;
    if (p && (p.generation === generation || Date.now() - p.at < PROTOTYPES_TTL_MS)) return p;
    const records = function* (index: SearchIndexService) {
      for (const kind of ['achievement', 'demand'] as const)
        for (const { meta, vector } of index.embedded(kind))
          if (meta.public) yield { labels: meta.industries.map((c) => c.slice(0, 2)), vector };
    };
    const byDivision = labelPrototypes(records(this.index));
    this.prototypes = { generation, at: Date.now(), byDivision };
    return this.prototypes;
  }

  /** The divisions' names, embedded once per process (as queries, like the draft: measured in eval:assist). */
  private nameVectors(): Promise<Float32Array[]> {
    this.names ??= this.embedding.embed(
      DIVISIONS.map((d) => d.name),
      'query',
    );
    return this.names;
  }
}

/**
 * The nearest records, each weighted by how much closer it is than the others (a softmax of the similarities at the
 * field vote's temperature): on a catalogue where only two records are about the draft, those two speak.
 */
export function closeness<T extends { similarity: number }>(nearest: readonly T[]): (T & { weight: number })[] {
  if (nearest.length === 0) return [];
  const max = Math.max(...nearest.map((n) => n.similarity));
  return nearest.map((n) => ({ ...n, weight: Math.exp((n.similarity - max) / FIELD_TEMPERATURE) }));
}

/**
 * The readiness most of the nearest achievements reach: the level below which a quarter of their weight lies. The
 * three heaviest are named as its basis.
 */
export function readinessFloor(
  offers: readonly { level: number; weight: number; basis: Basis }[],
): { value: number; basis: Basis[] } | null {
  const total = offers.reduce((s, o) => s + o.weight, 0);
  if (offers.length === 0 || total <= 0) return null;
  const sorted = [...offers].sort((a, b) => a.level - b.level);
  let below = 0;
  let value = sorted[sorted.length - 1].level;
  for (const o of sorted) {
    below += o.weight;
    if (below > total * 0.25) {
      value = o.level;
      break;
    }
  }
  const basis = [...offers]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, 3)
    .map((o) => o.basis);
  return { value, basis };
}

/** The cooperation modes the nearest achievements offer, each with its similarity-weighted share (at least 30%). */
export function modeShares(
  offers: readonly { modes: readonly CooperationMode[]; weight: number }[],
): { mode: CooperationMode; share: number }[] {
  const total = offers.reduce((s, o) => s + Math.max(0, o.weight), 0);
  if (total === 0) return [];
  const byMode = new Map<CooperationMode, number>();
  for (const o of offers) for (const m of o.modes) byMode.set(m, (byMode.get(m) ?? 0) + Math.max(0, o.weight));
  return [...byMode]
    .map(([mode, w]) => ({ mode, share: round(w / total) }))
    .filter((m) => m.share >= 0.3)
    .sort((a, b) => b.share - a.share || a.mode.localeCompare(b.mode));
}

const round = (x: number) => Math.round(x * 1000) / 1000;
