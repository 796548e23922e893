// Owns the demand assistant: suggestions for a draft demand (industry, keywords, readiness, cooperation modes,
// look-alike demands, a preview of its matches) and the pure rules behind them. It must not write.
export { AssistantModule } from './assistant.module';
export {
  closeness,
  DemandAssistantService,
  DUPLICATE_SIMILARITY,
  modeShares,
  readinessFloor,
  type Assistance,
  type Basis,
  type DemandDraft,
} from './demand-assistant.service';
export * from './field-suggestion';
export * from './keyword-suggestion';
export { generalIdf, words } from './segmenter';
export { wordRarity } from './word-rarity';
