import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ModelgateError, describeThrown } from '../errors';
import { defaultDocument } from './defaults';
import { configSchema } from './schema';
import type { Config, ExemptionConfig, RegistryConfig } from './types';

type Doc = Record<string, unknown>;

const validateDocument = new Ajv({
  allErrors: false,
  strict: true,
  strictRequired: false,
}).compile(configSchema);

/** Where values that point outside the document are read from. */
export interface LoadContext {
  /** Folder that relative `*File` paths are read from. */
  readonly baseDir?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Reads, validates and freezes a config file (YAML or JSON). */
export function loadConfigFile(path: string, env = process.env): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ModelgateError(
      'CONFIG_UNREADABLE',
      `config ${path}: ${describeThrown(err)}`,
      { cause: err },
    );
  }
  return loadConfigText(text, { baseDir: dirname(resolve(path)), env });
}

/** Parses and validates config text; YAML is a superset of JSON. */
export function loadConfigText(
  text: string,
  context: LoadContext = {},
): Config {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    throw invalid(`not valid YAML or JSON: ${describeThrown(err)}`, err);
  }
  return buildConfig(doc ?? {}, context);
}

/** Validates a config document already parsed (the Pulumi pack's config). */
export function buildConfig(doc: unknown, context: LoadContext = {}): Config {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw invalid('expected a mapping at the top level');
  }
  const merged = mergeDefaults(doc as Doc);
  if (!validateDocument(merged)) {
    throw invalid(describeSchemaError(validateDocument.errors?.[0]));
  }
  return deepFreeze(resolveDocument(merged, context));
}

/** Sections whose fields default one by one; other fields replace whole. */
const SECTIONS = ['trust', 'verification', 'modelDetection'] as const;

function mergeDefaults(doc: Doc): Doc {
  const merged: Doc = { ...defaultDocument, ...doc };
  for (const section of SECTIONS) {
    const given = doc[section];
    if (typeof given === 'object' && given !== null && !Array.isArray(given)) {
      merged[section] = { ...defaultDocument[section], ...given };
    }
  }
  return merged;
}

/** The embedded default config. */
export function defaultConfig(): Config {
  return buildConfig({});
}

function resolveDocument(doc: Doc, context: LoadContext): Config {
  const d = doc as typeof defaultDocument & Doc;
  const keys = (d.trust.keys as Doc[]).map((k, i) => ({
    name: String(k.name),
    publicKey: readKey(k, i, context),
  }));
  const keyNames = keys.map((k) => k.name);
  unique(keyNames, 'trust.keys');
  const authorities = (d.trust.authorities as Doc[]).map((a, i) => {
    // Without `keys`, an authority trusts every key, unless it names
    // identities: then it trusts exactly those.
    const named =
      (a.keys as string[] | undefined) ?? (a.identities ? [] : keyNames);
    for (const k of named) {
      if (!keyNames.includes(k)) {
        throw invalid(`trust.authorities[${i}].keys: no key named "${k}"`);
      }
    }
    return {
      name: String(a.name),
      images: a.images as string[],
      keys: named,
      identities: (a.identities as { issuer: string; subject: string }[]) ?? [],
    };
  });
  unique(
    authorities.map((a) => a.name),
    'trust.authorities',
  );
  const exemptions = (d.exemptions as Doc[]).map(toExemption);
  unique(
    exemptions.map((e) => e.name),
    'exemptions',
  );
  return {
    failurePolicy: d.failurePolicy as Config['failurePolicy'],
    defaultMode: d.defaultMode as Config['defaultMode'],
    rules: d.rules as Config['rules'],
    namespaces: resolveNamespaces(d.namespaces as Doc),
    modelDetection: { ...defaultDocument.modelDetection, ...d.modelDetection },
    trust: { keys, authorities },
    registries: (d.registries as Doc[]).map((r) => toRegistry(r, context)),
    verification: { ...defaultDocument.verification, ...d.verification },
    decommissionProcedures: d.decommissionProcedures as string[],
    exemptions,
  };
}

function resolveNamespaces(doc: Doc): Config['namespaces'] {
  const out: Record<string, Config['namespaces'][string]> = {};
  for (const [ns, value] of Object.entries(doc)) {
    const v = value as Doc;
    out[ns] = {
      modes: (v.modes as Record<string, never>) ?? {},
      dataCustodian: v.dataCustodian as string | undefined,
    };
  }
  return out;
}

function readKey(k: Doc, index: number, context: LoadContext): string {
  const where = `trust.keys[${index}]`;
  const pem =
    typeof k.publicKey === 'string'
      ? k.publicKey
      : readReferenced(
          String(k.publicKeyFile),
          `${where}.publicKeyFile`,
          context,
        );
  try {
    createPublicKey(pem);
  } catch (err) {
    throw invalid(
      `${where}.publicKey: key "${k.name}" is not a PEM public key`,
      err,
    );
  }
  return pem;
}

function toRegistry(r: Doc, context: LoadContext): RegistryConfig {
  const where = `registries[${String(r.host)}]`;
  const secret = (envName: unknown, file: unknown, field: string) => {
    if (typeof envName === 'string') {
      const value = (context.env ?? process.env)[envName];
      if (value === undefined) {
        throw invalid(
          `${where}.${field}Env: environment variable ${envName} is not set`,
        );
      }
      return value;
    }
    if (typeof file === 'string') {
      return readReferenced(file, `${where}.${field}File`, context).trim();
    }
    return undefined;
  };
  return {
    host: String(r.host),
    insecure: r.insecure === true,
    username: r.username as string | undefined,
    password: secret(r.passwordEnv, r.passwordFile, 'password'),
    token: secret(r.tokenEnv, r.tokenFile, 'token'),
  };
}

function toExemption(e: Doc, index: number): ExemptionConfig {
  const expires = String(e.expires);
  const expiresAt = Date.parse(expires);
  if (Number.isNaN(expiresAt)) {
    throw invalid(
      `exemptions[${index}].expires: "${expires}" is not a date (use 2027-01-31 or an RFC 3339 time)`,
    );
  }
  return {
    name: String(e.name),
    justification: String(e.justification),
    approver: String(e.approver),
    expires,
    expiresAt,
    rules: (e.rules as string[]) ?? [],
    namespaces: (e.namespaces as string[]) ?? [],
  };
}

function readReferenced(path: string, field: string, context: LoadContext) {
  const full = resolve(context.baseDir ?? process.cwd(), path);
  try {
    return readFileSync(full, 'utf8');
  } catch (err) {
    throw invalid(`${field}: cannot read ${path}: ${describeThrown(err)}`, err);
  }
}

function unique(names: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw invalid(`${field}: the name "${n}" is used twice`);
    seen.add(n);
  }
}

function describeSchemaError(error: ErrorObject | undefined): string {
  if (!error) return 'does not match the schema';
  const field = fieldOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${field}: unknown field "${String(params.additionalProperty)}"`;
    case 'enum':
      return `${field}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'propertyNames':
      return `${field}: "${String(params.propertyName)}" is not a rule id (MG-PROV-001) or family (MG-PROV)`;
    case 'oneOf':
      return `${field}: set exactly one of publicKey or publicKeyFile`;
    case 'minLength':
      return `${field}: must be at least ${String(params.limit)} characters`;
    default:
      return `${field}: ${error.message ?? 'is not valid'}`;
  }
}

/** `/trust/keys/0/name` as `trust.keys[0].name`. */
function fieldOf(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  if (parts.length === 0) return '(top level)';
  return parts
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

function invalid(message: string, cause?: unknown): ModelgateError {
  return new ModelgateError('CONFIG_INVALID', `config: ${message}`, { cause });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
