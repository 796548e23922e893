import 'reflect-metadata';
import { join, relative } from 'node:path';
import { readdirSync, statSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import { REPO_ROOT } from '@app/config';
import { ApiModule } from '../api.module';
import { applyPrefix } from './configure-http';
import { buildOpenApiDocument } from './openapi';

/**
 * The OpenAPI document must say what the validation pipe takes: for every request body class it documents, each
 * property's type (and its items'), nullable, enum and required agree with the class-validator rules of that
 * class. A client generated from the document (or a fuzzer) otherwise sends what the API refuses, or is told a
 * field is an object when the API takes only a string (a challenge's confidentialDetails did).
 */
describe('the OpenAPI document and the validators', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const app = await NestFactory.create(ApiModule.register({ runWorker: false }), { preview: true, logger: false });
    applyPrefix(app);
    document = buildOpenApiDocument(app);
    await app.close();
  });

  it('agree on every property of every request body class', () => {
    const classes = dtoClasses();
    const schemas = document.components!.schemas as Record<string, Schema>;
    const documented = Object.keys(schemas).filter((name) => name.endsWith('Dto'));
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((name) => !classes.has(name))).toEqual([]);
    const problems = documented.flatMap((name) => mismatches(name, schemas[name], classes.get(name)!));
    expect(problems).toEqual([]);
  });
});

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

interface Schema {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
}

/** What the validators of a property (or of each of its items) say its JSON type is. */
const TYPE_OF: Record<string, string> = {
  isString: 'string',
  isUuid: 'string',
  isUrl: 'string',
  matches: 'string',
  isRfc3339Date: 'string',
  isRegionCode: 'string',
  isIndustryCode: 'string',
  isDisciplineCode: 'string',
  isNumber: 'number',
  isAmount: 'number',
  isInt: 'integer',
  isBoolean: 'boolean',
  isArray: 'array',
  isObject: 'object',
};

function mismatches(name: string, schema: Schema, dto: new () => object): string[] {
  const rules = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const r of rules) byProperty.set(r.propertyName, [...(byProperty.get(r.propertyName) ?? []), r]);
  const properties = schema.properties ?? {};
  const problems: string[] = [];
  for (const p of new Set([...Object.keys(properties), ...byProperty.keys()])) {
    const at = `${name}.${p}`;
    const s = properties[p];
    const own = byProperty.get(p) ?? [];
    if (!s) {
      problems.push(`${at}: validated but not documented`);
      continue;
    }
    if (own.length === 0) {
      problems.push(`${at}: documented, but the pipe refuses it (no validator whitelists it)`);
      continue;
    }
    // A conditional rule (IsOptional, ValidateIf) skips the others where its condition is false.
    const conditions = own
      .filter((r) => r.type === ValidationTypes.CONDITIONAL_VALIDATION)
      .map((r) => r.constraints[0] as (object: object, value: unknown) => boolean);
    const optional = conditions.some((validated) => !validated({}, undefined));
    const nullable = conditions.some((validated) => !validated({ [p]: null }, null));
    if ((optional === (schema.required ?? []).includes(p)) === true)
      problems.push(`${at}: ${optional ? 'optional' : 'required'} by the validators, not in the document`);
    if (nullable !== (s.nullable === true))
      problems.push(
        `${at}: the validators ${nullable ? 'take' : 'refuse'} null, the document says nullable ${s.nullable}`,
      );
    problems.push(
      ...typeProblems(
        at,
        s,
        own.filter((r) => !r.each),
      ),
    );
    const each = own.filter((r) => r.each);
    if (each.length > 0) {
      if (!s.items) problems.push(`${at}: validated item by item, but not documented as an array`);
      else problems.push(...typeProblems(`${at}[]`, s.items, each));
    }
  }
  return problems;
}

function typeProblems(at: string, s: Schema, rules: ValidationMetadata[]): string[] {
  const problems: string[] = [];
  const nested = rules.some((r) => r.type === ValidationTypes.NESTED_VALIDATION);
  const types = new Set(rules.map((r) => TYPE_OF[r.name ?? '']).filter(Boolean));
  const isIn = rules.find((r) => r.name === 'isIn');
  if (isIn) {
    const values = isIn.constraints[0] as unknown[];
    types.add(typeof values[0]);
    const documented = s.enum ?? [];
    if (JSON.stringify([...documented].sort()) !== JSON.stringify([...values].sort()))
      problems.push(
        `${at}: the validators take ${JSON.stringify(values)}, the document's enum ${JSON.stringify(documented)}`,
      );
  } else if (s.enum) problems.push(`${at}: an enum in the document, no isIn among the validators`);
  if (types.has('integer') && types.has('number')) types.delete('number');
  const reference = s.$ref ?? s.allOf?.[0]?.$ref;
  if (nested && !types.has('array')) {
    if (!reference && s.type !== 'object') problems.push(`${at}: a nested object by the validators, not documented so`);
    return problems;
  }
  if (types.size === 0) {
    if (!nested) problems.push(`${at}: no validator says its type (the document says ${s.type ?? reference})`);
    return problems;
  }
  if (types.size > 1) return [...problems, `${at}: the validators say ${[...types].join(' and ')}`];
  const [type] = types;
  if (s.type !== type) problems.push(`${at}: ${type} by the validators, ${s.type ?? reference} in the document`);
  return problems;
}

/** Every class the DTO files export, by name (the document names a body's schema after its class). */
function dtoClasses(): Map<string, new () => object> {
  const classes = new Map<string, new () => object>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.dto\.ts$/.test(entry) && !relative(REPO_ROOT, path).includes('node_modules')) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exports = require(path) as Record<string, unknown>;
        for (const value of Object.values(exports))
          if (typeof value === 'function' && value.name) classes.set(value.name, value as new () => object);
      }
    }
  };
  for (const top of ['apps', 'libs']) visit(join(REPO_ROOT, top));
  return classes;
}
