/**
 * The policy pack: reads its name and version from the package.json in the
 * working directory (where Pulumi starts it, as @pulumi/policy does), and
 * serves the policies over the analyzer protocol.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyPack, type PolicyPackArgs } from '@pulumi/policy';
import type { ConfigSources } from './config';
import { createPolicies } from './policies';
import { installSecretMarking } from './props';
import { createPackState } from './state';

export interface PackOptions extends ConfigSources {
  /** Folder holding the pack's package.json; the working directory. */
  readonly dir?: string;
}

export function packArgs(sources: ConfigSources = {}): PolicyPackArgs {
  return {
    description:
      'modelgate: model-serving resources within ETSI EN 304 223 (signed provenance, rate limits, decommissioning labels, storage wiped on teardown).',
    displayName: 'modelgate',
    enforcementLevel: 'mandatory',
    tags: ['ai', 'etsi-en-304-223', 'kubernetes', 'aws', 'gcp', 'azure'],
    policies: createPolicies(createPackState(sources)),
  };
}

/**
 * Starts serving. Prints the gRPC port on stdout, which is how the Pulumi
 * CLI finds the pack; nothing else may write there.
 *
 * @example
 * // index.ts of the pack
 * startPolicyPack();
 */
export function startPolicyPack(options: PackOptions = {}): PolicyPack {
  installSecretMarking();
  const dir = options.dir ?? process.cwd();
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name?: unknown;
  };
  if (typeof pkg.name !== 'string' || pkg.name === '') {
    throw new Error(`modelgate: ${join(dir, 'package.json')} has no name`);
  }
  return new PolicyPack(pkg.name, packArgs(options));
}
