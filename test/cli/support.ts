/**
 * Runs the CLI in-process with captured streams, and writes manifest
 * fixtures into a fresh temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { main, type MainDeps } from '../../cli';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function run(
  argv: readonly string[],
  options: { stdin?: string; deps?: MainDeps } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s) },
      stdin:
        options.stdin === undefined
          ? undefined
          : Readable.from([options.stdin]),
    },
    options.deps,
  );
  return { code, stdout, stderr };
}

/** A temporary folder; `write` creates files (and folders) under it. */
export function fixtureDir(): {
  root: string;
  write(path: string, text: string): string;
  remove(): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'modelgate-cli-'));
  return {
    root,
    write(path, text) {
      const full = join(root, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      return full;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** A model Deployment with every label the rules ask for. */
export function modelDeployment(name = 'llm', app = name): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ml
spec:
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels:
        app: ${app}
        modelgate.io/model: "true"
        modelgate.io/decommission: wipe
        modelgate.io/data-custodian: ml-platform
      annotations:
        modelgate.io/rate-limit: "50rps"
    spec:
      containers:
        - name: server
          image: registry.example.com/ml/${name}@${DIGEST}
`;
}

/** A model Deployment that lacks every label: denied under enforce. */
export function bareModelDeployment(name = 'bare'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ml
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}, modelgate.io/model: "true"}
    spec:
      containers:
        - name: server
          image: registry.example.com/ml/${name}@${DIGEST}
`;
}

export function loadBalancer(selectApp: string, name = 'front'): string {
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ml}
spec:
  type: LoadBalancer
  selector: {app: ${selectApp}}
  ports: [{port: 80}]
`;
}

export const CONFIG_MAP = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: ml}
data: {a: b}
`;

/** Rules about signatures off: tests that are not about them use this. */
export const PROV_OFF = 'rules: {MG-PROV: off}\n';
