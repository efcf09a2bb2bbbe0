/**
 * Section 3: signature verification against a local registry, cold (a new
 * verifier, so nothing cached) and cached (the same verifier again), beside
 * crane resolving the same tag and cosign verifying the same signature.
 */
import { buildConfig, type Config } from '../core/config';
import { describeThrown } from '../core/errors';
import { parseImageRef, type ImageRef } from '../core/image-ref';
import type { ImageFact, ImageVerifier } from '../core/signature';
import type { Resources } from './processes';
import {
  cosign,
  crane,
  missingTool,
  run,
  startSignedRegistry,
  type SignedImage,
} from './registry';
import { fmt, print, printTable, ratio, type Row } from './report';

export const SIGNATURE_RUNS = {
  cold: 7,
  cached: 20_000,
  tools: 5,
} as const;

type MakeVerifier = (config: Config) => ImageVerifier;

export async function benchSignatures(resources: Resources): Promise<void> {
  const title = 'Signature verification (local docker-registry, cosign key)';
  const { make, missing } = await loadVerifier();
  const why = missingTool() ?? missing;
  if (why !== undefined || make === undefined) {
    print(`\n${title}: skipped, ${why ?? 'no verifier'}`);
    return;
  }

  const image = await startSignedRegistry(resources);
  printSignatures(title, await measureSignatures(make, image));
}

interface SignatureFigures {
  /** The process's first lookup: new connection, code not yet optimized. */
  readonly firstMs: number;
  readonly coldTagMs: number;
  readonly coldPinnedMs: number;
  readonly cachedTagUs: number;
  readonly cachedPinnedUs: number;
  readonly craneMs: number;
  readonly cosignMs: number;
  readonly fact?: ImageFact;
}

async function measureSignatures(
  make: MakeVerifier,
  image: SignedImage,
): Promise<SignatureFigures> {
  const config = benchConfig(image);
  const tag = parseImageRef(image.tagRef);
  const pinned = parseImageRef(image.digestRef);
  const coldTag = await coldRuns(make, config, tag);
  return {
    firstMs: coldTag.firstMs,
    coldTagMs: coldTag.ms,
    fact: coldTag.fact,
    coldPinnedMs: (await coldRuns(make, config, pinned)).ms,
    cachedTagUs: await cachedMeanUs(make(config), tag),
    cachedPinnedUs: await cachedMeanUs(make(config), pinned),
    craneMs: await toolMs(crane, ['digest', image.tagRef], image.dir),
    cosignMs: await toolMs(cosign, cosignVerifyArgs(image), image.dir),
  };
}

function printSignatures(title: string, f: SignatureFigures): void {
  const R = SIGNATURE_RUNS;
  printTable(
    title,
    ['figure', 'modelgate', 'reference', 'ref', 'ratio'],
    [
      row('first verify by tag (ms)', f.firstMs, 'crane digest', f.craneMs),
      row('cold verify by tag (ms)', f.coldTagMs, 'crane digest', f.craneMs),
      row(
        'cold verify by digest (ms)',
        f.coldPinnedMs,
        'cosign verify',
        f.cosignMs,
      ),
      cachedRow('cached verify by tag (us)', f.cachedTagUs),
      cachedRow('cached verify by digest (us)', f.cachedPinnedUs),
    ],
  );
  print(
    'first: the first lookup in the process, on a new connection; ' +
      `cold: a new verifier (empty cache) per call, median of ${R.cold}, ` +
      'on the kept-alive connection; cached: the same ' +
      `verifier, mean of ${R.cached} calls; references: CLI runs, median of ` +
      `${R.tools}, process start included`,
  );
  print(`the verifier saw ${describeFact(f.fact)}`);
}

async function loadVerifier(): Promise<{
  make?: MakeVerifier;
  missing?: string;
}> {
  try {
    const facts = await import('../core/facts');
    return { make: facts.verifierFromConfig };
  } catch (err) {
    return { missing: `verifier not loadable: ${describeThrown(err)}` };
  }
}

/** Trusts the throwaway key and reaches the registry over plain HTTP. */
function benchConfig(image: SignedImage): Config {
  return buildConfig(
    {
      trust: { keys: [{ name: 'bench', publicKeyFile: image.publicKeyFile }] },
      registries: [{ host: image.host, insecure: true }],
    },
    { baseDir: image.dir },
  );
}

async function coldRuns(make: MakeVerifier, config: Config, ref: ImageRef) {
  const times: number[] = [];
  let fact: ImageFact | undefined;
  for (let i = 0; i < SIGNATURE_RUNS.cold; i++) {
    const verifier = make(config);
    const t0 = performance.now();
    fact = await verifier.verify(ref);
    times.push(performance.now() - t0);
  }
  return { ms: median(times), firstMs: times[0] ?? NaN, fact };
}

async function cachedMeanUs(verifier: ImageVerifier, ref: ImageRef) {
  await verifier.verify(ref);
  const t0 = performance.now();
  for (let i = 0; i < SIGNATURE_RUNS.cached; i++) await verifier.verify(ref);
  return ((performance.now() - t0) * 1000) / SIGNATURE_RUNS.cached;
}

async function toolMs(command: string, args: string[], cwd: string) {
  const times: number[] = [];
  for (let i = 0; i < SIGNATURE_RUNS.tools; i++) {
    const t0 = performance.now();
    await run(command, args, cwd);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function cosignVerifyArgs(image: SignedImage): string[] {
  return [
    'verify',
    '--key',
    image.publicKeyFile,
    '--insecure-ignore-tlog=true',
    image.digestRef,
  ];
}

function row(label: string, ours: number, refName: string, ref: number): Row {
  return [label, fmt.ms(ours), refName, fmt.ms(ref), ratio(ours, ref)];
}

function cachedRow(label: string, us: number): Row {
  return [label, fmt.us(us), 'none', '', ''];
}

function describeFact(fact: ImageFact | undefined): string {
  if (!fact) return 'nothing';
  const error = fact.error ? `, error ${fact.error.code}` : '';
  return `${fact.signatures} signature(s) by [${fact.signers.join(', ')}]${error}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
