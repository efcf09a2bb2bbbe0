/**
 * One end-to-end environment: a control plane, the webhook's own CA, the
 * chart's ValidatingWebhookConfiguration registered with clientConfig.url,
 * and helpers that send objects through kubectl as a user would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startControlPlane,
  type CommandResult,
  type ControlPlane,
} from './kube';
import type { Replica } from './kube-webhook';
import {
  renderChart,
  startReplica,
  stopReplica,
  waitUntil,
} from './kube-webhook';
import { MODEL_IMAGE, namespace, pod } from './kube-manifests';
import {
  createTestCa,
  issueServerCert,
  type TestCa,
  type TestCert,
} from './tls';

type Json = Record<string, any>;

export const WEBHOOK_NAMESPACE = 'modelgate-system';
export const DENIED_BY =
  'admission webhook "validate.modelgate.io" denied the request';

export interface E2e {
  readonly cp: ControlPlane;
  readonly ca: TestCa;
  readonly cert: TestCert;
  readonly dir: string;
  /** `kubectl apply -f -` of the objects; dry-run when asked. */
  apply(objects: Json | Json[], dryRun?: boolean): Promise<CommandResult>;
  /** `kubectl create -f -`. */
  create(objects: Json | Json[]): Promise<CommandResult>;
  kubectl(args: readonly string[], input?: string): Promise<CommandResult>;
  /** Starts a replica with this config, reading the control plane. */
  replica(config: string, drainSeconds?: number): Promise<Replica>;
  /** Registers the chart's webhook configuration, aimed at `url`. */
  register(url: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startE2e(namespaces: Json[]): Promise<E2e> {
  const cp = await startControlPlane();
  const ca = createTestCa();
  const cert = issueServerCert(ca);
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-e2e-'));
  const replicas: Replica[] = [];
  const toJson = (objects: Json | Json[]) =>
    JSON.stringify(
      Array.isArray(objects)
        ? { apiVersion: 'v1', kind: 'List', items: objects }
        : objects,
    );
  const e2e: E2e = {
    cp,
    ca,
    cert,
    dir,
    kubectl: (args, input) => cp.kubectl(args, input),
    apply: (objects, dryRun = false) =>
      cp.kubectl(
        ['apply', '-f', '-', ...(dryRun ? ['--dry-run=server'] : [])],
        toJson(objects),
      ),
    create: (objects) => cp.kubectl(['create', '-f', '-'], toJson(objects)),
    replica: async (config, drainSeconds) => {
      const r = await startReplica({
        dir,
        kubeconfig: cp.kubeconfig,
        certFile: cert.certFile,
        keyFile: cert.keyFile,
        caPem: ca.certPem,
        config,
        drainSeconds,
      });
      replicas.push(r);
      return r;
    },
    register: (url) => register(e2e, url),
    stop: async () => {
      for (const r of replicas) await stopReplica(r);
      await cp.stop();
      rmSync(dir, { recursive: true, force: true });
      rmSync(ca.dir, { recursive: true, force: true });
    },
  };
  try {
    const setup = await e2e.apply([
      namespace(WEBHOOK_NAMESPACE),
      ...namespaces,
    ]);
    if (setup.code !== 0) throw new Error(`namespaces: ${setup.stderr}`);
  } catch (err) {
    await e2e.stop();
    throw err;
  }
  return e2e;
}

/**
 * Renders the chart as the install section does, for a webhook outside the
 * cluster, registers its ValidatingWebhookConfiguration, and waits until
 * the API server sends reviews to it.
 */
async function register(e2e: E2e, url: string): Promise<void> {
  const { result, docs } = await renderChart([
    '--set',
    `webhook.url=${url}`,
    '--set',
    'tls.source=secret',
    '--set',
    'tls.existingSecret=modelgate-tls',
    '--set-file',
    `tls.caBundle=${e2e.ca.certFile}`,
  ]);
  if (result.code !== 0) throw new Error(`helm template: ${result.stderr}`);
  const vwc = docs.find((d) => d.kind === 'ValidatingWebhookConfiguration');
  if (!vwc)
    throw new Error('the chart rendered no ValidatingWebhookConfiguration');
  const applied = await e2e.apply(vwc);
  if (applied.code !== 0) throw new Error(`register: ${applied.stderr}`);

  // The API server picks up webhook configurations from its own watch.
  const probe = pod('default', 'registration-probe', {
    labels: { 'modelgate.io/model': 'true' },
    image: MODEL_IMAGE,
  });
  await waitUntil(
    async () => {
      const r = await e2e.apply(probe, true);
      return (
        r.stderr.includes(DENIED_BY) ||
        r.stderr.includes('failed calling webhook')
      );
    },
    () => false,
    'the API server never called the registered webhook',
  );
}

/** What the API server should answer: denied rules, or warnings. */
export interface Expected {
  /** Rule ids of the denial; empty when the object must be admitted. */
  readonly denied: readonly string[];
  /** Rule ids of the `Warning:` lines of an admitted object. */
  readonly warned?: readonly string[];
  /** Text the answer must contain. */
  readonly message?: string;
}

export function expectVerdict(
  r: { code: number; stderr: string },
  c: Expected,
): void {
  const ruleOf = (line: string) => /\[(MG-[A-Z]+-\d+)\]/.exec(line)?.[1];
  const warnings = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('Warning: '))
    .map(ruleOf);
  if (c.denied.length > 0) {
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(DENIED_BY);
    const rules = [...r.stderr.matchAll(/\[(MG-[A-Z]+-\d+)\]/g)].map(
      (m) => m[1],
    );
    expect([...new Set(rules)].sort()).toEqual([...c.denied].sort());
  } else {
    expect({ code: r.code, stderr: r.stderr }).toMatchObject({
      code: 0,
      stderr: expect.not.stringContaining(DENIED_BY),
    });
    expect(warnings.sort()).toEqual([...(c.warned ?? [])].sort());
  }
  if (c.message) expect(r.stderr).toContain(c.message);
}

/** Throws with kubectl's error unless the command succeeded. */
export async function must(p: Promise<CommandResult>): Promise<void> {
  const r = await p;
  if (r.code !== 0) throw new Error(r.stderr);
}

export type Send = () => Promise<{ stderr: string }>;

/**
 * Repeats a dry run until its answer contains `text`: the webhook's watches
 * deliver a change a moment after the API server stored it.
 */
export async function untilJudged(
  webhook: Replica,
  send: Send,
  text: string,
): Promise<void> {
  await waitUntil(
    async () => (await send()).stderr.includes(text),
    () => webhook.process.exitCode !== null,
    () =>
      `the webhook never answered with ${text}: ${webhook.output().slice(-1000)}`,
  );
}
