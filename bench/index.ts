/**
 * `npm run bench`: modelgate's figures, each beside a reference measured in
 * the same run. Prints only; it asserts nothing. Traffic goes to 127.0.0.1
 * alone, and every process it starts is stopped on exit, error or Ctrl-C.
 */
import { cpus, loadavg } from 'node:os';
import { defaultConfig } from '../core/config';
import { benchAdmission } from './admission-bench';
import { loadCorpus, type Corpus } from './corpus';
import { benchEngine } from './engine-bench';
import { preparePolicyInputs } from './policy-input';
import { benchPulumiPack } from './pulumi-pack';
import { createResources, type Resources } from './processes';
import { print } from './report';
import { benchSignatures } from './signature-bench';
import { createBenchPki } from './tls';

async function main(resources: Resources): Promise<void> {
  const started = performance.now();
  printSetting();
  const corpus = loadCorpus();
  printCorpus(corpus);

  const config = defaultConfig();
  const inputs = await preparePolicyInputs(config, corpus.objects, Date.now());
  const dropped = corpus.objects.length - inputs.length;
  if (dropped > 0) print(`left out: ${dropped} objects that do not normalize`);
  const pki = createBenchPki();
  resources.defer(pki.remove);

  await inScope(resources, (r) => benchAdmission(r, pki, config, inputs));
  await inScope(resources, (r) => benchSignatures(r));
  await benchEngine(config, inputs);
  await benchPulumiPack();

  const seconds = (performance.now() - started) / 1000;
  print(`\nfinished in ${seconds.toFixed(1)} s`);
}

/** Runs a section and stops what it started before the next one begins. */
async function inScope(
  resources: Resources,
  section: (r: Resources) => Promise<void>,
): Promise<void> {
  const scope = resources.scope();
  try {
    await section(scope);
  } finally {
    await scope.release();
  }
}

function printSetting(): void {
  const cpu = cpus();
  print(
    `modelgate bench: node ${process.version}, ${cpu.length} cores ` +
      `(${cpu[0]?.model.trim() ?? 'unknown cpu'}), all traffic on 127.0.0.1`,
  );
  const load = loadavg()[0] ?? 0;
  print(
    `load average before start: ${load.toFixed(2)}` +
      (load > 0.5 ? ' (the machine is busy: expect noisy tails)' : ''),
  );
  print(
    'warm cache: the webhook and the engine use an in-memory verifier that ' +
      'answers every image as unsigned at once; webhook logs at level silent',
  );
}

function printCorpus(corpus: Corpus): void {
  if (corpus.fallbackNote) print(corpus.fallbackNote);
  const skipped =
    corpus.skipped.length > 0
      ? `; skipped (do not parse): ${corpus.skipped.join(', ')}`
      : '';
  print(
    `inputs: ${corpus.objects.length} objects from ${corpus.source}${skipped}`,
  );
}

function run(): void {
  const resources = createResources();
  const stop = (signal: string) => {
    print(`\n${signal}: stopping child processes`);
    void resources.release().finally(() => process.exit(130));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));

  main(resources)
    .catch((err: unknown) => {
      process.stderr.write(`bench failed: ${String(err)}\n`);
      process.exitCode = 1;
    })
    .finally(() => resources.release());
}

run();
