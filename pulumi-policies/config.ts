/**
 * Policy config → a ready engine. Each policy takes the config document the
 * webhook and the CLI read, plus two settings of the pack's own (`preview`,
 * `remediation`). A policy given no document reads the file named by
 * MODELGATE_CONFIG, or else the strict embedded default.
 */
import {
  buildConfig,
  configSchema,
  createEngine,
  defaultConfig,
  loadConfigFile,
  ModelgateError,
  verifierFromConfig,
  type Config,
  type Engine,
} from '../core';
import type { ImageVerifier } from '../core/signature';

export interface PackOptions {
  /** Level of a finding deferred because a value is unknown or secret. */
  readonly unknownLevel: 'advisory' | 'mandatory';
  /** Whether secrets are read (never shown) or deferred like unknowns. */
  readonly secrets: 'defer' | 'read';
  /** Values remediation may fill in; nothing is invented without them. */
  readonly remediation: {
    readonly dataCustodian?: string;
    readonly decommission?: string;
  };
}

// Secrets are read (and never repeated) by default: they stay secret at
// `pulumi up` too, so deferring them would leave a rule advisory for good.
export const PACK_DEFAULTS: PackOptions = Object.freeze({
  unknownLevel: 'advisory',
  secrets: 'read',
  remediation: Object.freeze({}),
});

const PACK_KEYS = ['preview', 'remediation'] as const;

/** JSON Schema of the pack's own settings, beside the config document. */
export const packSchema = {
  preview: {
    type: 'object',
    additionalProperties: false,
    description:
      'How values not known until apply, and secrets, are judged at preview',
    properties: {
      unknown: { enum: ['advisory', 'mandatory'] },
      secrets: { enum: ['defer', 'read'] },
    },
  },
  remediation: {
    type: 'object',
    additionalProperties: false,
    description: 'Labels remediation may add when they are missing',
    properties: {
      dataCustodian: { type: 'string', minLength: 1 },
      decommission: { type: 'string', minLength: 1 },
    },
  },
} as const;

/** The schema every policy takes: the config document and the pack's own. */
export const policyConfigSchema = {
  properties: { ...configSchema.properties, ...packSchema },
};

/** What a policy's config resolved to; `fault` when it could not. */
export interface Configured {
  readonly key: string;
  readonly config: Config;
  readonly options: PackOptions;
  readonly engine: Promise<Engine>;
  readonly fault?: ModelgateError;
}

export interface ConfigSources {
  readonly verifier?: ImageVerifier;
  readonly env?: NodeJS.ProcessEnv;
}

/** Resolves policy configs to engines, building each distinct one once. */
export function createConfigCache(sources: ConfigSources = {}) {
  const cache = new Map<string, Configured>();
  return (policyConfig: Record<string, unknown>): Configured => {
    const key = JSON.stringify(policyConfig);
    let hit = cache.get(key);
    if (!hit) {
      hit = configure(key, policyConfig, sources);
      cache.set(key, hit);
    }
    return hit;
  };
}

function configure(
  key: string,
  policyConfig: Record<string, unknown>,
  sources: ConfigSources,
): Configured {
  const document = { ...policyConfig };
  for (const k of PACK_KEYS) delete document[k];
  let config: Config;
  let options: PackOptions;
  try {
    options = packOptions(policyConfig);
    config = documentConfig(document, sources.env ?? process.env);
  } catch (err) {
    const fault = asConfigError(err);
    const engine = Promise.reject(fault);
    engine.catch(() => undefined);
    return {
      key,
      config: defaultConfig(),
      options: PACK_DEFAULTS,
      engine,
      fault,
    };
  }
  const verifier = sources.verifier ?? verifierFromConfig(config);
  const engine = createEngine({ config, verifier });
  engine.catch(() => undefined);
  return { key, config, options, engine };
}

function documentConfig(document: object, env: NodeJS.ProcessEnv): Config {
  if (Object.keys(document).length > 0) return buildConfig(document);
  const file = env.MODELGATE_CONFIG;
  return file ? loadConfigFile(file, env) : defaultConfig();
}

function packOptions(policyConfig: Record<string, unknown>): PackOptions {
  const preview = objectAt(policyConfig, 'preview');
  const remediation = objectAt(policyConfig, 'remediation');
  const unknown = preview.unknown ?? PACK_DEFAULTS.unknownLevel;
  const secrets = preview.secrets ?? PACK_DEFAULTS.secrets;
  if (unknown !== 'advisory' && unknown !== 'mandatory') {
    throw invalid('preview.unknown: must be one of advisory, mandatory');
  }
  if (secrets !== 'defer' && secrets !== 'read') {
    throw invalid('preview.secrets: must be one of defer, read');
  }
  return Object.freeze({
    unknownLevel: unknown,
    secrets,
    remediation: Object.freeze({
      dataCustodian: stringAt(remediation, 'dataCustodian'),
      decommission: stringAt(remediation, 'decommission'),
    }),
  });
}

function objectAt(doc: Record<string, unknown>, key: string) {
  const value = doc[key];
  if (value === undefined) return {} as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${key}: expected a mapping`);
  }
  return value as Record<string, unknown>;
}

function stringAt(doc: Record<string, unknown>, key: string) {
  const value = doc[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') {
    throw invalid(`remediation.${key}: expected a non-empty string`);
  }
  return value;
}

function invalid(message: string): ModelgateError {
  return new ModelgateError('CONFIG_INVALID', `config: ${message}`);
}

function asConfigError(err: unknown): ModelgateError {
  if (err instanceof ModelgateError) return err;
  return new ModelgateError('CONFIG_INVALID', `config: ${String(err)}`, {
    cause: err,
  });
}
