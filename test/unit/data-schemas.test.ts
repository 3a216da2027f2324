/**
 * The one check of the knowledge data: every JSON file under server/data (outside server/data/schemas/) names
 * its JSON Schema in "$schema", that schema lives in server/data/schemas/ under the file's name (a file in a
 * folder, such as service-profiles/nginx.json, under the folder's name), every schema compiles in ajv's strict
 * mode, every file matches its schema, and every file's "header" has the one shape of
 * server/data/schemas/header.schema.json. `checkDataFolder` returns the problems found, so a test can show it
 * catches a planted one.
 */
import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv';
import assert from 'node:assert/strict';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers';

/** The base of every schema's $id; schemas refer to each other by file name relative to it. */
const SCHEMA_BASE = 'https://systemd-hardening.invalid/schemas/';
/** Schemas that only lend definitions to the others and validate no file of their own. */
const SHARED_SCHEMAS = new Set(['header.schema.json', 'common.schema.json']);

interface SchemaSet {
  /** Schema file name -> its parsed JSON. */
  readonly schemas: ReadonlyMap<string, Record<string, unknown>>;
  /** Schema file name -> its validator, for the schemas that compile. */
  readonly validators: ReadonlyMap<string, ValidateFunction>;
  readonly problems: string[];
}

/** Every *.schema.json of a folder, added to one strict ajv and compiled. */
function loadSchemas(folder: string): SchemaSet {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const schemas = new Map<string, Record<string, unknown>>();
  const problems: string[] = [];
  if (!existsSync(folder))
    return { schemas, validators: new Map(), problems: [`${folder} does not exist: the schemas live there`] };
  const names = readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort();
  for (const name of names) {
    if (!name.endsWith('.schema.json')) {
      problems.push(`schemas/${name}: a schema's name ends in .schema.json`);
      continue;
    }
    const schema = JSON.parse(readFileSync(join(folder, name), 'utf8')) as Record<string, unknown>;
    if (schema.$id !== SCHEMA_BASE + name)
      problems.push(`schemas/${name}: $id is ${String(schema.$id)}, not ${SCHEMA_BASE + name}`);
    schemas.set(name, schema);
    ajv.addSchema(schema, SCHEMA_BASE + name);
  }
  const validators = new Map<string, ValidateFunction>();
  for (const name of schemas.keys()) {
    try {
      validators.set(name, ajv.getSchema(SCHEMA_BASE + name)!);
    } catch (e) {
      problems.push(`schemas/${name}: does not compile in strict mode: ${(e as Error).message}`);
    }
  }
  return { schemas, validators, problems };
}

/** Every JSON file under the data folder except the schemas, as paths relative to it, sorted. */
function dataFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (path !== join(folder, 'schemas')) walk(path);
      } else if (entry.endsWith('.json')) out.push(relative(folder, path));
    }
  };
  walk(folder);
  return out;
}

/** The schema a data file must name: its own name, or its folder's name for a file in a folder. */
function expectedSchema(file: string): string {
  const parts = file.split(sep);
  const stem = parts.length > 1 ? parts[0]! : basename(file, '.json');
  return `${stem}.schema.json`;
}

function describe(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 5)
    .map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
    )
    .join('; ');
}

/** Validates one parsed data file (path relative to the data folder); the problems found. */
function checkDataFile(set: SchemaSet, file: string, json: unknown, folder: string): string[] {
  const problems: string[] = [];
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return [`${file}: not a JSON object`];
  const ref = (json as { $schema?: unknown }).$schema;
  const want = expectedSchema(file);
  if (typeof ref !== 'string')
    return [`${file}: no "$schema": every data file names its schema (server/data/schemas/${want})`];
  const target = resolve(dirname(join(folder, file)), ref);
  if (target !== join(folder, 'schemas', want))
    problems.push(`${file}: "$schema" is ${ref}, not the path of schemas/${want}`);
  const validate = set.validators.get(want);
  if (!validate)
    return [
      ...problems,
      `${file}: there is no schema server/data/schemas/${want}${set.schemas.has(want) ? ' that compiles' : ''}`,
    ];
  if (!validate(json)) problems.push(`${file}: ${describe(validate)}`);
  // The header shape, on its own: a file's schema may add fields to the header but not loosen it.
  const header = (json as { header?: unknown }).header;
  const headerShape = set.validators.get('header.schema.json');
  if (!headerShape)
    problems.push(`${file}: there is no header schema (server/data/schemas/header.schema.json) that compiles`);
  else if (!headerShape(header)) problems.push(`${file}: header: ${describe(headerShape)}`);
  const script = (header as { generatedBy?: unknown } | undefined)?.generatedBy;
  if (typeof script === 'string') {
    // The generator writes the header too, so regenerating keeps the file valid: it names the same schema.
    const path = join(ROOT, script);
    if (!existsSync(path)) problems.push(`${file}: header.generatedBy ${script} does not exist`);
    else if (!readFileSync(path, 'utf8').includes(`$schema: '${ref}'`))
      problems.push(`${file}: ${script} does not write "$schema": "${ref}"`);
  }
  return problems;
}

/** Every problem of a data folder: schemas that do not compile or validate no file, files without a schema or not matching it. */
function checkDataFolder(folder: string): string[] {
  const set = loadSchemas(join(folder, 'schemas'));
  const problems = [...set.problems];
  const used = new Set<string>();
  for (const file of dataFiles(folder)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(folder, file), 'utf8'));
    } catch (e) {
      problems.push(`${file}: not JSON: ${(e as Error).message}`);
      continue;
    }
    used.add(expectedSchema(file));
    problems.push(...checkDataFile(set, file, json, folder));
  }
  for (const [name, schema] of set.schemas) {
    if (SHARED_SCHEMAS.has(name)) continue;
    if (!used.has(name)) problems.push(`schemas/${name}: validates no data file`);
    const header = (schema.properties as Record<string, Record<string, unknown>> | undefined)?.header;
    if (header?.$ref !== 'header.schema.json' || header.unevaluatedProperties !== false)
      problems.push(
        `schemas/${name}: "header" must be {"$ref": "header.schema.json", ..., "unevaluatedProperties": false}`,
      );
    if (!(schema.required as unknown[] | undefined)?.includes('header'))
      problems.push(`schemas/${name}: "header" is not required`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

const DATA = join(ROOT, 'server', 'data');

test('every data file has a schema and the one header, and matches it', () => {
  const files = dataFiles(DATA);
  assert.ok(
    files.includes('directives.json') && files.includes(join('service-profiles', 'nginx.json')),
    files.join(' '),
  );
  assert.deepEqual(checkDataFolder(DATA), []);
});

/** Sets (or, with undefined, deletes) the value at a JSON pointer of a parsed file. */
function plant(json: unknown, pointer: string, value: unknown): void {
  const keys = pointer.split('/').slice(1);
  let at = json as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete at[last];
  else if (Array.isArray(at) && last === '-') at.push(value);
  else at[last] = value;
}

/** [file, JSON pointer, planted value (undefined: deleted), what is wrong]: each must fail its schema. */
const PLANTED: readonly [string, string, unknown, string][] = [
  ['capabilities.json', '/capabilities/0/name', 'cap_chown', 'a capability name is CAP_ in capitals'],
  ['capabilities.json', '/capabilities/0/number', 64, 'capability numbers are 0..63'],
  ['address-families.json', '/families/0/name', 'UNIX', 'an address family is AF_…'],
  ['errno.json', '/names/0/name', 'eperm', 'an errno name is E… in capitals'],
  ['namespaces.json', '/types/0/cloneFlag', 'CLONE_NEWcgroup', 'a clone flag is CLONE_NEW… in capitals'],
  [
    'syscall-groups.json',
    '/versions/252/groups/0/members/-',
    'Not A Name',
    'a group member is a system call or @group',
  ],
  ['syscall-groups.json', '/versions/262', undefined, 'every target version has its groups'],
  ['seccomp-x86_64.json', '/libseccomp/2.5.4-1+deb12u1/suite', 'buster', 'suites are a closed list'],
  ['seccomp-pseudo-x86_64.json', '/libseccomp/2.5.4-1+deb12u1/names/-', 'Open', 'a system-call name is lower case'],
  ['assessors.json', '/tables/352953afa7/0/kind', 'nonsense', 'kinds of check are a closed list'],
  ['assessors.json', '/versions/238', { ref: { source: 'none' }, table: '352953afa7' }, 'only releases 239–262'],
  ['assessors.json', '/versions/250', undefined, 'every release 239–262 is there'],
  ['assessors.json', '/versions/252/ref', { source: 'debian', tag: 'v252' }, 'a Debian ref names its package'],
  ['assessors.json', '/versions/252/logic/newFlag', true, 'the logic flags are a closed list'],
  ['assessors.json', '/tables/XYZ', [], 'a table id is 10 hex digits'],
  ['directives.json', '/directives/0/sections/Services', { since: 239, until: null }, 'sections are a closed list'],
  ['directives.json', '/directives/0/kind', 'bogus', 'kinds of value are a closed list'],
  ['directive-docs.json', '/umask/0/value', '0999', 'a umask is octal'],
  ['check-docs.json', '/checks/Bad Key', 'the service can do anything', 'keys are json_fields'],
  ['service-needs.json', '/services/0/writes/0/source', undefined, 'every fact names its source'],
  ['service-needs.json', '/services/0/writes/0/fix', 'ProtectSystem=no', 'a fix makes the path writable'],
  ['service-profiles/nginx.json', '/needs', undefined, 'a service profile names its service-needs entry'],
  ['service-profiles/nginx.json', '/groups/0/lines/-', 'not a setting', 'a line is KEY=VALUE'],
  ['service-profiles/nginx.json', '/boot/cannot', 'both', 'a profile boots or says why it cannot'],
];

test('the schemas reject planted errors', () => {
  const set = loadSchemas(join(DATA, 'schemas'));
  assert.deepEqual(set.problems, []);
  const read = (file: string): unknown => JSON.parse(readFileSync(join(DATA, file), 'utf8'));
  for (const [file, pointer, value, why] of PLANTED) {
    assert.deepEqual(checkDataFile(set, file, read(file), DATA), [], `${file} as it is`);
    const json = read(file);
    plant(json, pointer, value);
    const problems = checkDataFile(set, file, json, DATA);
    assert.ok(problems.length > 0, `${file} ${pointer} = ${JSON.stringify(value)}: ${why}, yet it passed`);
  }
  // Every file: no unknown field at the top or in the header, a header, the right "$schema".
  for (const file of dataFiles(DATA)) {
    for (const [pointer, value] of [
      ['/unknownField', 1],
      ['/header', undefined],
      ['/header/unknownField', 'x'],
      ['/header/source', ''],
      ['/$schema', './schemas/other.schema.json'],
    ] as const) {
      const json = read(file);
      plant(json, pointer, value);
      assert.ok(
        checkDataFile(set, file, json, DATA).length > 0,
        `${file} ${pointer} = ${JSON.stringify(value)} passed`,
      );
    }
  }
});

test('a planted file without a schema, a broken value or a schema that does not compile fails the check', () => {
  const copy = mkdtempSync(join(tmpdir(), 'data-schemas-'));
  try {
    cpSync(DATA, copy, { recursive: true });
    assert.deepEqual(checkDataFolder(copy), []);
    writeFileSync(join(copy, 'new-facts.json'), '{ "facts": [] }\n');
    mkdirSync(join(copy, 'more'));
    writeFileSync(
      join(copy, 'more', 'x.json'),
      '{ "$schema": "../schemas/more.schema.json", "header": { "description": "d", "source": "s" } }\n',
    );
    const caps = JSON.parse(readFileSync(join(copy, 'capabilities.json'), 'utf8')) as {
      capabilities: { name: string }[];
    };
    caps.capabilities[3]!.name = 'CAP_fowner';
    writeFileSync(join(copy, 'capabilities.json'), JSON.stringify(caps));
    const loose = JSON.parse(readFileSync(join(copy, 'schemas', 'check-docs.schema.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    loose.additionalProperty = false; // a misspelt keyword: strict mode refuses it
    writeFileSync(join(copy, 'schemas', 'check-docs.schema.json'), JSON.stringify(loose));
    const problems = checkDataFolder(copy);
    const expect = [
      /^new-facts\.json: no "\$schema"/,
      /^more\/x\.json: there is no schema server\/data\/schemas\/more\.schema\.json/,
      /^capabilities\.json: \/capabilities\/3\/name must match pattern/,
      /^schemas\/check-docs\.schema\.json: does not compile in strict mode/,
      /^check-docs\.json: there is no schema server\/data\/schemas\/check-docs\.schema\.json that compiles/,
    ];
    for (const e of expect)
      assert.ok(
        problems.some((p) => e.test(p)),
        `${e}\n${problems.join('\n')}`,
      );
    assert.equal(problems.length, expect.length, problems.join('\n'));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
