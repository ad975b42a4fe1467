// A small validator for the OpenAPI 3.0 subset 3CX's XAPI swagger uses:
// type, properties, required, nullable, allOf, $ref, items, enum, pattern,
// minimum/maximum, maxLength and the formats date-time, int32 and int64.
// CLOSED by design: an object may carry only properties its schema (with
// every allOf branch and $ref it inherits) declares, so an invented field
// fails. OData annotations (`@odata.*`) are not properties and are allowed.
// Any keyword it does not know throws, so a schema it cannot judge is never
// silently accepted. (ajv is only a transitive dependency here, and its
// `nullable` needs `type` beside it, which 3CX's `allOf` + `nullable` lacks.)

export type Schema = Record<string, unknown>;

const KNOWN = new Set([
  'type', 'properties', 'required', 'nullable', 'allOf', '$ref', 'items', 'enum', 'format', 'pattern',
  'minimum', 'maximum', 'maxLength', 'uniqueItems',
  // Annotations: no effect on validity.
  'title', 'description', 'default', 'x-ms-navigationProperty', 'x-ms-enum-flags', 'x-ms-docs-key-type',
]);

const DATE_TIME = /^\d{4,}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,12})?(Z|[+-]\d\d:\d\d)$/;
const INT32 = [-2147483648, 2147483647] as const;

export interface ValidationIssue {
  path: string;
  message: string;
}

export class OpenApiValidator {
  constructor(private readonly schemas: Readonly<Record<string, Schema>>) {}

  /** Issues found in `value` against the named component schema (e.g. `Pbx.ActiveCall`); [] when it conforms. */
  validate(schemaName: string, value: unknown, path = '$'): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.#check(this.#named(schemaName), value, path, issues);
    return issues;
  }

  /** Same, against an inline schema. */
  validateSchema(schema: Schema, value: unknown, path = '$'): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    this.#check(schema, value, path, issues);
    return issues;
  }

  #named(name: string): Schema {
    const s = this.schemas[name];
    if (!s) throw new Error(`no schema named ${name}`);
    return s;
  }

  #resolve(ref: string): Schema {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unsupported $ref ${ref}`);
    return this.#named(m[1]!);
  }

  /** Every property name `schema` declares, through allOf and $ref. */
  #declared(schema: Schema, into = new Set<string>()): Set<string> {
    if (typeof schema.$ref === 'string') this.#declared(this.#resolve(schema.$ref), into);
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) this.#declared(part, into);
    for (const name of Object.keys((schema.properties as Schema | undefined) ?? {})) into.add(name);
    return into;
  }

  #check(schema: Schema, value: unknown, path: string, issues: ValidationIssue[], closed = true): void {
    for (const key of Object.keys(schema)) {
      if (!KNOWN.has(key)) throw new Error(`unsupported schema keyword "${key}" at ${path}`);
    }
    if (value === null) {
      if (schema.nullable !== true) issues.push({ path, message: 'is null but not nullable' });
      return;
    }
    // OpenAPI 3.0: a $ref replaces its siblings.
    if (typeof schema.$ref === 'string') return this.#check(this.#resolve(schema.$ref), value, path, issues, closed);
    // Branches are checked open: closedness is judged once, over all of them.
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) this.#check(part, value, path, issues, false);
    if (schema.type !== undefined && !this.#typeMatches(schema.type as string, value)) {
      issues.push({ path, message: `is ${describe(value)}, expected ${String(schema.type)}` });
      return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
      issues.push({ path, message: `${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}` });
    }
    if (typeof value === 'string') this.#checkString(schema, value, path, issues);
    if (typeof value === 'number') this.#checkNumber(schema, value, path, issues);
    if (Array.isArray(value)) {
      if (schema.items) value.forEach((item, i) => this.#check(schema.items as Schema, item, `${path}[${i}]`, issues));
      return;
    }
    if (typeof value === 'object') this.#checkObject(schema, value as Record<string, unknown>, path, issues, closed);
  }

  #typeMatches(type: string, value: unknown): boolean {
    switch (type) {
      case 'object': return typeof value === 'object' && !Array.isArray(value);
      case 'array': return Array.isArray(value);
      case 'string': return typeof value === 'string';
      case 'boolean': return typeof value === 'boolean';
      case 'integer': return Number.isInteger(value);
      case 'number': return typeof value === 'number' && Number.isFinite(value);
      default: throw new Error(`unsupported type "${type}"`);
    }
  }

  #checkString(schema: Schema, value: string, path: string, issues: ValidationIssue[]): void {
    if (schema.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))) {
      issues.push({ path, message: `"${value}" is not a date-time` });
    }
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
      issues.push({ path, message: `"${value}" does not match ${schema.pattern}` });
    }
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      issues.push({ path, message: `is longer than ${schema.maxLength}` });
    }
  }

  #checkNumber(schema: Schema, value: number, path: string, issues: ValidationIssue[]): void {
    if ((schema.format === 'int32' || schema.format === 'int64') && !Number.isInteger(value)) {
      issues.push({ path, message: `${value} is not an ${schema.format}` });
    }
    if (schema.format === 'int32' && (value < INT32[0] || value > INT32[1])) issues.push({ path, message: `${value} is out of int32 range` });
    if (typeof schema.minimum === 'number' && value < schema.minimum) issues.push({ path, message: `${value} < minimum ${schema.minimum}` });
    if (typeof schema.maximum === 'number' && value > schema.maximum) issues.push({ path, message: `${value} > maximum ${schema.maximum}` });
  }

  #checkObject(schema: Schema, value: Record<string, unknown>, path: string, issues: ValidationIssue[], closed: boolean): void {
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!(name in value)) issues.push({ path, message: `misses required property ${name}` });
    }
    for (const [name, v] of Object.entries(value)) {
      const sub = properties[name];
      if (sub) this.#check(sub, v, `${path}.${name}`, issues);
    }
    if (!closed) return;
    const declared = this.#declared(schema);
    for (const name of Object.keys(value)) {
      if (!declared.has(name) && !name.startsWith('@odata.')) issues.push({ path: `${path}.${name}`, message: 'is not in the schema' });
    }
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
