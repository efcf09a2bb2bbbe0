/** Configuring every policy of the pack at once, as `--policy-pack-config` does. */
import { generateKeyPairSync } from 'node:crypto';
import type { Analyzer, Level } from '../../../pulumi-policies/engine-client';
import { FAMILIES } from '../../../pulumi-policies/families';

export const RESOURCE_POLICIES = FAMILIES.map((f) => f.name);
export const STACK_POLICIES = FAMILIES.map((f) => `${f.name}-stack`);
export const ALL_POLICIES = [...RESOURCE_POLICIES, ...STACK_POLICIES];

export function configureAll(
  pack: Analyzer,
  config: Record<string, unknown>,
  levels: Partial<Record<string, Level>> = {},
): Promise<void> {
  return pack.configure(
    Object.fromEntries(
      ALL_POLICIES.map((name) => [
        name,
        { level: levels[name] ?? 'mandatory', config },
      ]),
    ),
  );
}

export function publicKeyPem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
}
