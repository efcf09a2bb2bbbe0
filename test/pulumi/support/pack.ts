/**
 * Starting the built pack for a suite: the real one, or the same pack with
 * signature facts supplied by the test (where the webhook suites use
 * tableVerifier). Either starts exactly as Pulumi starts a pack.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FactRule } from '../../support/facts';
import {
  startAnalyzer,
  type Analyzer,
} from '../../../pulumi-policies/engine-client';
import { buildPack, type BuiltPack } from './build';

export { buildPack };

/** The real pack, with the environment the suite gives it. */
export function startBuiltPack(
  built: BuiltPack,
  env: NodeJS.ProcessEnv = {},
): Promise<Analyzer> {
  return startAnalyzer(built.packDir, packEnv(env));
}

/**
 * The same pack, with a verifier that answers from `rules` (everything else
 * is unsigned) instead of asking registries.
 */
export async function startFactsPack(
  built: BuiltPack,
  rules: readonly FactRule[],
  env: NodeJS.ProcessEnv = {},
): Promise<Analyzer & { remove(): void }> {
  const dir = mkdtempSync(join(built.root, 'facts-pack-'));
  const pkg = JSON.parse(
    readFileSync(join(built.packDir, 'package.json'), 'utf8'),
  );
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ ...pkg, main: 'index.js' }),
  );
  writeFileSync(join(dir, 'facts.json'), JSON.stringify(rules));
  writeFileSync(join(dir, 'index.js'), FACTS_PACK);
  const analyzer = await startAnalyzer(dir, packEnv(env));
  return {
    ...analyzer,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const FACTS_PACK = `'use strict';
const { startPolicyPack } = require('../dist/pulumi-policies/pack.js');
const rules = require('./facts.json');
const verifier = {
  async verify(ref) {
    const rule = rules.find((r) => ref.name.startsWith(r.prefix));
    if (rule && rule.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
    return { ref: ref.canonical, ...(rule ? rule.fact : { signatures: 0, signers: [] }) };
  },
};
startPolicyPack({ verifier });
`;

/** PATH and HOME only: nothing from the test runner leaks into the pack. */
function packEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...env };
}
