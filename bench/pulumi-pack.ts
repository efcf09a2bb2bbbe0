/**
 * The policy pack's figures: a preview of a stack of mixed resources
 * (Kubernetes workloads, Services, Ingresses, claims, classes; S3, EBS,
 * SageMaker, API Gateway), driven through the analyzer protocol as the
 * Pulumi engine drives it: Analyze for each resource, then AnalyzeStack
 * once. Images are under no trust authority, so no signature is looked up
 * (signature lookups have their own section).
 *
 * Called by bench/index.ts: `await benchPulumiPack()`; it prints and
 * returns the figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startAnalyzer,
  type TestResource,
} from '../pulumi-policies/engine-client';
import { FAMILIES } from '../pulumi-policies/families';
import { print, printTable } from './report';

export interface PulumiPackBench {
  readonly resources: number;
  /** Median and total wall time of Analyze, one resource at a time. */
  readonly analyzeMsPerResource: number;
  readonly analyzeTotalMs: number;
  /** One AnalyzeStack over every resource. */
  readonly stackMs: number;
  readonly startMs: number;
  /** Resident memory of the pack process after the run, and its peak. */
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly violations: number;
}

export interface PulumiPackBenchOptions {
  /** The pack folder; the repository's, built by `npm run build`. */
  readonly packDir?: string;
  readonly resources?: number;
}

const ROOT = join(__dirname, '..', '..');

export async function benchPulumiPack(
  options: PulumiPackBenchOptions = {},
): Promise<PulumiPackBench> {
  const n = options.resources ?? 1200;
  const stack = mixedStack(n);
  const t0 = performance.now();
  const pack = await startAnalyzer(
    options.packDir ?? join(ROOT, 'pulumi-policies'),
    { PATH: process.env.PATH },
  );
  try {
    const startMs = performance.now() - t0;
    await pack.configure(
      Object.fromEntries(
        FAMILIES.flatMap((f) => [f.name, `${f.name}-stack`]).map((name) => [
          name,
          { config: { trust: { keys: [], authorities: [] } } },
        ]),
      ),
    );
    const t1 = performance.now();
    let violations = 0;
    for (const r of stack)
      violations += (await pack.analyze(r)).diagnostics.length;
    const analyzeTotalMs = performance.now() - t1;
    const t2 = performance.now();
    violations += (await pack.analyzeStack(stack)).diagnostics.length;
    const stackMs = performance.now() - t2;
    const memory = memoryOf(pack.pid);
    const result = {
      resources: n,
      analyzeMsPerResource: analyzeTotalMs / n,
      analyzeTotalMs,
      stackMs,
      startMs,
      ...memory,
      violations,
    };
    report(result);
    return result;
  } finally {
    await pack.close();
  }
}

function report(r: PulumiPackBench): void {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  printTable(
    `\npolicy pack: preview of a ${r.resources}-resource stack over the analyzer protocol`,
    ['step', 'time', 'per resource'],
    [
      ['start (node, run-policy-pack, wasm)', ms(r.startMs), ''],
      [
        'Analyze, each resource',
        ms(r.analyzeTotalMs),
        ms(r.analyzeMsPerResource),
      ],
      ['AnalyzeStack, whole stack', ms(r.stackMs), ms(r.stackMs / r.resources)],
    ],
  );
  print(
    `pack memory: ${r.rssMb.toFixed(0)} MB resident after the run, ` +
      `${r.peakRssMb.toFixed(0)} MB at peak; ${r.violations} violations reported`,
  );
}

/** VmRSS and VmHWM from /proc; zero where /proc is not there. */
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) =>
      Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, peakRssMb: 0 };
  }
}

/** Groups of one model service and what surrounds it, repeated. */
export function mixedStack(n: number): TestResource[] {
  const out: TestResource[] = [];
  for (let g = 0; out.length < n; g++) out.push(...group(g));
  return out.slice(0, n);
}

const urn = (type: string, name: string) =>
  `urn:pulumi:bench::serving::${type}::${name}`;

function res(
  type: string,
  name: string,
  props: Record<string, unknown>,
  deps: Record<string, string[]> = {},
): TestResource {
  return {
    type,
    name,
    urn: urn(type, name),
    props,
    propertyDependencies: deps,
    dependencies: [...new Set(Object.values(deps).flat())],
  };
}

function group(g: number): TestResource[] {
  const ns = `team-${g % 20}`;
  const name = `llm-${g}`;
  const meta = (n: string) => ({ name: n, namespace: ns });
  const sc = res('kubernetes:storage.k8s.io/v1:StorageClass', `sc-${g}`, {
    metadata: { name: `sc-${g}` },
    provisioner: 'ebs.csi.aws.com',
    reclaimPolicy: g % 3 === 0 ? 'Retain' : 'Delete',
  });
  const pvc = res(
    'kubernetes:core/v1:PersistentVolumeClaim',
    `${name}-weights`,
    {
      metadata: meta(`${name}-weights`),
      spec: {
        storageClassName: { $unknown: true },
        accessModes: ['ReadWriteOnce'],
      },
    },
    { spec: [sc.urn] },
  );
  const labels = {
    app: name,
    'modelgate.io/model': 'true',
    'modelgate.io/decommission': 'wipe',
    ...(g % 2 === 0 ? { 'modelgate.io/data-custodian': 'ml' } : {}),
  };
  const deployment = res(
    'kubernetes:apps/v1:Deployment',
    name,
    {
      metadata: meta(name),
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: {
            labels: g % 7 === 0 ? { $unknown: true } : labels,
            annotations: { 'modelgate.io/rate-limit': '50rps' },
          },
          spec: {
            containers: [
              {
                name: 'server',
                image: `vllm/vllm-openai@sha256:${'a'.repeat(64)}`,
              },
            ],
            volumes: [
              {
                name: 'w',
                persistentVolumeClaim: { claimName: { $unknown: true } },
              },
            ],
          },
        },
      },
    },
    { spec: [pvc.urn] },
  );
  const web = res('kubernetes:apps/v1:Deployment', `web-${g}`, {
    metadata: meta(`web-${g}`),
    spec: {
      template: {
        metadata: { labels: { app: `web-${g}` } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
      },
    },
  });
  const service = res('kubernetes:core/v1:Service', name, {
    metadata: meta(name),
    spec: {
      type: g % 5 === 0 ? 'LoadBalancer' : 'ClusterIP',
      selector: { app: name },
    },
  });
  const ingress = res('kubernetes:networking.k8s.io/v1:Ingress', name, {
    metadata: {
      ...meta(name),
      annotations:
        g % 4 === 0 ? {} : { 'nginx.ingress.kubernetes.io/limit-rps': '20' },
    },
    spec: { defaultBackend: { service: { name, port: { number: 80 } } } },
  });
  const bucket = res('aws:s3/bucket:Bucket', `weights-${g}`, {
    bucket: `weights-${g}`,
    forceDestroy: g % 2 === 0,
    tags: { 'modelgate.io/data-custodian': 'ml' },
  });
  const model = res(
    'aws:sagemaker/model:Model',
    `sm-${g}`,
    {
      primaryContainer: {
        image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/llm@sha256:${'b'.repeat(64)}`,
        modelDataUrl: `s3://weights-${g}/model.tar.gz`,
      },
      tags: {
        'modelgate.io/decommission': 'wipe',
        'modelgate.io/data-custodian': 'ml',
      },
    },
    { primaryContainer: [bucket.urn] },
  );
  const volume = res('aws:ebs/volume:Volume', `cache-${g}`, {
    availabilityZone: 'eu-west-1a',
    size: 100,
    finalSnapshot: g % 6 === 0,
    tags: { 'modelgate.io/model-data': 'true' },
  });
  const stage = res(
    'aws:apigateway/stage:Stage',
    `stage-${g}`,
    {
      restApi: { $unknown: true },
      stageName: 'prod',
      deployment: { $unknown: true },
    },
    { restApi: [urn('aws:apigateway/restApi:RestApi', `api-${g}`)] },
  );
  return [
    sc,
    pvc,
    deployment,
    web,
    service,
    ingress,
    bucket,
    model,
    volume,
    stage,
  ];
}
