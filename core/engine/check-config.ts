/**
 * Checks the rule ids a config names against the rules the policy has, so
 * a typo (`MG-RAT`) is a startup error rather than a setting that never
 * applies.
 */
import type { Config } from '../config';
import { ModelgateError } from '../errors';
import type { RuleInfo } from './types';

export function checkRuleNames(
  config: Config,
  catalog: Readonly<Record<string, RuleInfo>>,
): void {
  const ids = Object.keys(catalog);
  const families = new Set(
    ids.map((id) => id.split('-').slice(0, 2).join('-')),
  );
  const known = (name: string) => name in catalog || families.has(name);
  const named: [string, string][] = [
    ...Object.keys(config.rules).map((r): [string, string] => [`rules`, r]),
    ...Object.entries(config.namespaces).flatMap(([ns, n]) =>
      Object.keys(n.modes).map((r): [string, string] => [
        `namespaces.${ns}.modes`,
        r,
      ]),
    ),
    ...config.exemptions.flatMap((e, i) =>
      e.rules.map((r): [string, string] => [`exemptions[${i}].rules`, r]),
    ),
  ];
  for (const [field, name] of named) {
    if (!known(name)) {
      throw new ModelgateError(
        'CONFIG_INVALID',
        `config: ${field}: no rule or family named "${name}" (families: ${[...families].sort().join(', ')})`,
      );
    }
  }
}
