import type { ProfileFields, ProfileKind } from '../profiles.types';

/**
 * Compiles only when a create DTO (without `organisationId`, which says who owns the record) names exactly the
 * fields of its record type, so that a field added to one and not the other is a compile error; the record type is
 * also what the table map (profile-tables.ts) is checked against.
 */
export type FieldsMatch<Dto, K extends ProfileKind> = [
  Exclude<keyof Omit<Dto, 'organisationId'>, keyof ProfileFields<K>>,
  Exclude<keyof ProfileFields<K>, keyof Omit<Dto, 'organisationId'>>,
] extends [never, never]
  ? true
  : {
      notInRecord: Exclude<keyof Omit<Dto, 'organisationId'>, keyof ProfileFields<K>>;
      notInDto: Exclude<keyof ProfileFields<K>, keyof Omit<Dto, 'organisationId'>>;
    };

/** `Checked<FieldsMatch<...>>` fails to compile unless the check holds. */
export type Checked<T extends true> = T;
