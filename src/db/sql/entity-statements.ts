import { ReferenceKind, type EntityMetadata, type EntityProperty, type Platform } from '@mikro-orm/core';

/** A statement on one entity's table as text with `?` placeholders, and its parameters in order. */
export interface EntityStatement {
  text: string;
  params: unknown[];
}

const COMPARISONS: Record<string, string> = { $eq: '=', $ne: '<>', $lt: '<', $lte: '<=', $gt: '>', $gte: '>=' };

/**
 * `update <table> set … where …` for either dialect, written from the entity's
 * metadata as MikroORM's own nativeUpdate writes it (custom types converted,
 * the version column counted up), for the simple shapes a status move uses:
 * scalar columns, compared by equality, `null`, a list (`in`) or one of
 * $eq/$ne/$lt/$lte/$gt/$gte/$in. Null for anything else: the caller lets the
 * ORM write that one.
 */
export function entityUpdate(meta: EntityMetadata, platform: Platform, where: Record<string, unknown>, data: Record<string, unknown>): EntityStatement | null {
  const params: unknown[] = [];
  const sets: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    const prop = scalarProperty(meta, key);
    if (!prop || value === undefined) return null;
    sets.push(`${quote(prop)} = ?`);
    params.push(toDatabase(prop, value, platform));
  }
  if (sets.length === 0) return null;
  const version = meta.versionProperty ? meta.properties[meta.versionProperty] : null;
  if (version && !(version.name in data)) {
    if (version.runtimeType === 'Date') return null;
    sets.push(`${quote(version)} = ${quote(version)} + 1`);
  }
  const conditions: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    const prop = scalarProperty(meta, key);
    if (!prop || prop.customType?.name === 'json') return null;
    const condition = conditionOf(prop, value, platform, params);
    if (condition === null) return null;
    conditions.push(condition);
  }
  if (conditions.length === 0) return null;
  return { text: `update "${meta.tableName}" set ${sets.join(', ')} where ${conditions.join(' and ')}`, params };
}

/**
 * `insert into <table> (…) values (…), (…)` for either dialect, as MikroORM's
 * insert writes plain data: the columns given (every row the same ones), custom
 * types converted, a many-to-one given by its id. Null for anything else.
 */
export function entityInsert(meta: EntityMetadata, platform: Platform, rows: readonly Record<string, unknown>[]): EntityStatement | null {
  const keys = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const props = keys.map((key) => insertableProperty(meta, key));
  if (keys.length === 0 || props.some((prop) => prop === null)) return null;
  const params: unknown[] = [];
  for (const row of rows) {
    if (Object.keys(row).length !== keys.length) return null;
    for (const [i, key] of keys.entries()) {
      const value = row[key];
      if (value === undefined || (props[i]!.kind === ReferenceKind.MANY_TO_ONE && typeof value !== 'string')) return null;
      params.push(toDatabase(props[i]!, value, platform));
    }
  }
  const tuple = `(${keys.map(() => '?').join(', ')})`;
  const columns = props.map((prop) => quote(prop!)).join(', ');
  return { text: `insert into "${meta.tableName}" (${columns}) values ${rows.map(() => tuple).join(', ')}`, params };
}

function insertableProperty(meta: EntityMetadata, key: string): EntityProperty | null {
  const prop = meta.properties[key];
  if (prop?.kind === ReferenceKind.MANY_TO_ONE && prop.fieldNames?.length === 1) return prop;
  return scalarProperty(meta, key);
}

function conditionOf(prop: EntityProperty, value: unknown, platform: Platform, params: unknown[]): string | null {
  const column = quote(prop);
  if (value === null) return `${column} is null`;
  if (Array.isArray(value)) return inList(column, prop, value, platform, params);
  if (isPlainObject(value)) {
    const operators = Object.entries(value);
    if (operators.length !== 1) return null;
    const [operator, operand] = operators[0]!;
    if (operator === '$in' && Array.isArray(operand)) return inList(column, prop, operand, platform, params);
    const comparison = COMPARISONS[operator];
    if (!comparison || operand === null || operand === undefined || (typeof operand === 'object' && !(operand instanceof Date))) return null;
    params.push(toDatabase(prop, operand, platform));
    return `${column} ${comparison} ?`;
  }
  if (value === undefined) return null;
  params.push(toDatabase(prop, value, platform));
  return `${column} = ?`;
}

/** An empty list matches nothing, as MikroORM writes it. */
function inList(column: string, prop: EntityProperty, values: readonly unknown[], platform: Platform, params: unknown[]): string | null {
  if (values.length === 0) return '1 = 0';
  if (values.some((value) => value === null || (typeof value === 'object' && !(value instanceof Date)))) return null;
  params.push(values.map((value) => toDatabase(prop, value, platform)));
  return `${column} in (?)`;
}

function scalarProperty(meta: EntityMetadata, key: string): EntityProperty | null {
  const prop = meta.properties[key];
  if (!prop || prop.kind !== ReferenceKind.SCALAR || prop.fieldNames?.length !== 1 || prop.persist === false || prop.formula) return null;
  return prop;
}

function toDatabase(prop: EntityProperty, value: unknown, platform: Platform): unknown {
  if (value === null || value === undefined || !prop.customType || prop.kind !== ReferenceKind.SCALAR) return value ?? null;
  return prop.customType.convertToDatabaseValue(value, platform, { mode: 'query' });
}

const quote = (prop: EntityProperty): string => `"${prop.fieldNames[0]}"`;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof Date) && Object.getPrototypeOf(value) === Object.prototype;
