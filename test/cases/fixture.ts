/**
 * The shared case fixture (shared/cases/README.md) in modelgate's terms:
 * images under registry.example.com/ml/ are signed by the release key, the
 * reranker's lookup hangs for 30 s, docker.io/ollama/** is trusted when
 * signed by the ollama-publisher identity, and everything else is unsigned.
 */
import { generateKeyPairSync } from 'node:crypto';
import { buildConfig } from '../../core/config';
import { tableVerifier } from '../support/facts';

const releaseKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

export const OLLAMA_DIGEST =
  'sha256:76e3c7bfe641ea125c0c2e1c5f89349e17b352ed128d528de2443794e7acf870';
const ML_DIGEST = `sha256:${'1'.repeat(64)}`;

export const fixtureConfig = buildConfig({
  trust: {
    keys: [{ name: 'release', publicKey: releaseKey }],
    authorities: [
      {
        name: 'ollama',
        images: ['docker.io/ollama/**'],
        keys: [],
        identities: [
          { issuer: 'https://issuer.example', subject: 'ollama-publisher' },
        ],
      },
      { name: 'release', images: ['**'], keys: ['release'] },
    ],
  },
  // The cases accept a mutable-tag advisory as long as the verdict holds
  // (C05); the strict default, where a tag denies, has its own tests.
  rules: { 'MG-PROV-002': 'warn' },
  namespaces: { inference: { dataCustodian: 'ml-platform' } },
});

export const fixtureVerifier = tableVerifier([
  {
    prefix: 'registry.example.com/ml/reranker',
    delayMs: 30_000,
    fact: { signatures: 1, signers: ['release'], digest: ML_DIGEST },
  },
  {
    prefix: 'registry.example.com/ml/',
    fact: { signatures: 1, signers: ['release'], digest: ML_DIGEST },
  },
  {
    prefix: 'docker.io/ollama/ollama',
    fact: {
      signatures: 1,
      signers: [],
      digest: OLLAMA_DIGEST,
      identities: [
        { issuer: 'https://issuer.example', subject: 'ollama-publisher' },
      ],
    },
  },
]);
