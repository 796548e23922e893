import { isPublished, statusOf, type ProfileByKind, type ProfileKind } from '@app/profiles';

/** What the filters and hard constraints of matching need to know about an indexed record, for every kind. */
export interface IndexMeta {
  organisationId: string;
  /** Achievement or demand status; `active` / `inactive` for experts and brokers. */
  status: string;
  /** Visible to everyone (isPublished: not a draft, not private, a person active). */
  public: boolean;
  regions: string[];
  industries: string[];
  disciplines: string[];
  readiness: number | null;
  green: boolean;
  transactionMode: string | null;
  programmeId: string | null;
}

export function indexMeta<K extends ProfileKind>(kind: K, p: ProfileByKind[K]): IndexMeta {
  const base = {
    organisationId: p.organisationId,
    status: statusOf(kind, p),
    public: isPublished(kind, p),
    disciplines: [] as string[],
    readiness: null,
    green: false,
    transactionMode: null,
    programmeId: null,
  };
  switch (kind) {
    case 'achievement': {
      const a = p as ProfileByKind['achievement'];
      return {
        ...base,
        regions: [a.regionCode],
        industries: a.industryCode ? [a.industryCode] : [],
        disciplines: a.disciplineCode ? [a.disciplineCode] : [],
        readiness: a.readinessLevel,
        green: a.green,
        transactionMode: a.transactionMode,
      };
    }
    case 'demand': {
      const d = p as ProfileByKind['demand'];
      return {
        ...base,
        regions: [d.regionCode],
        industries: d.industryCode ? [d.industryCode] : [],
        readiness: d.minReadinessLevel,
        green: d.greenPreferred,
      };
    }
    case 'expert': {
      const e = p as ProfileByKind['expert'];
      return {
        ...base,
        regions: e.regionCodes,
        industries: [],
        disciplines: e.disciplineCodes,
        programmeId: e.programmeId,
      };
    }
    default: {
      const b = p as ProfileByKind['broker'];
      return {
        ...base,
        regions: b.regionCodes,
        industries: b.industryCodes,
      };
    }
  }
}
