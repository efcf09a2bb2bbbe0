/**
 * Drives a policy pack as the Pulumi engine does, for the analyzer protocol
 * suite and the benchmark: starts `node @pulumi/pulumi/cmd/run-policy-pack
 * <engine> .` in the pack's folder (what the CLI's policy analyzer plugin
 * runs), reads the gRPC port from its stdout, and calls it through the
 * generated stubs that ship with @pulumi/pulumi.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as rpc from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { fromWire, toWire } from './wire';

/* eslint-disable @typescript-eslint/no-require-imports */
// The message classes must come from the google-protobuf copy the stubs use.
const protobufDir = dirname(require.resolve('@pulumi/pulumi/package.json'));
const fromStubs = (m: string) =>
  require(
    require.resolve(`google-protobuf/google/protobuf/${m}`, {
      paths: [protobufDir],
    }),
  );
const { Struct } = fromStubs('struct_pb.js') as {
  Struct: { fromJavaScript(v: Record<string, unknown>): unknown };
};
const { Empty } = fromStubs('empty_pb.js') as { Empty: new () => unknown };
/* eslint-enable @typescript-eslint/no-require-imports */

export type Level = 'advisory' | 'mandatory' | 'disabled' | 'remediate';

const LEVELS: Record<number, Level> = {
  0: 'advisory',
  1: 'mandatory',
  2: 'disabled',
  3: 'remediate',
};

/** A resource in test notation (`$unknown`, `$secret`). */
export interface TestResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Record<string, readonly string[]>;
}

export interface Diagnostic {
  readonly policy: string;
  readonly level: Level;
  readonly message: string;
  readonly urn: string;
}

export interface AnalyzeResult {
  readonly diagnostics: Diagnostic[];
  readonly notApplicable: { policy: string; reason: string }[];
}

export interface RemediationResult {
  readonly policy: string;
  /** The remediated properties, in test notation. */
  readonly props?: Record<string, unknown>;
  readonly diagnostic: string;
}

export interface PackProcess {
  readonly pid: number;
  readonly port: number;
  readonly client: rpc.AnalyzerClient;
  /** Everything the pack wrote to stdout (the port line, and nothing else). */
  readonly stdout: () => string;
  /** Everything the pack wrote to stderr. */
  readonly stderr: () => string;
  close(): Promise<void>;
}

/** Starts the pack in `packDir` as the Pulumi CLI's policy plugin does. */
export async function startPack(
  packDir: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 60_000,
): Promise<PackProcess> {
  const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack');
  const child = spawn(process.execPath, [runner, '127.0.0.1:0', '.'], {
    cwd: packDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await readPort(
    child,
    () => out,
    () => err,
    timeoutMs,
  );
  const client = new rpc.AnalyzerClient(
    `127.0.0.1:${port}`,
    grpc.credentials.createInsecure(),
    { 'grpc.max_receive_message_length': 400 * 1024 * 1024 },
  );
  return {
    pid: child.pid ?? 0,
    port,
    client,
    stdout: () => out,
    stderr: () => err,
    close: () => stop(child, client),
  };
}

function readPort(
  child: ChildProcess,
  stdout: () => string,
  stderr: () => string,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(`no port after ${timeoutMs} ms`),
      timeoutMs,
    );
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`policy pack did not start: ${why}\n${stderr()}`));
    };
    child.stdout!.on('data', () => {
      const out = stdout();
      const line = out.split('\n')[0]!;
      if (out.includes('\n')) {
        clearTimeout(timer);
        const port = Number(line.trim());
        if (Number.isInteger(port) && port > 0) resolve(port);
        else fail(`stdout began with "${line.slice(0, 80)}"`);
      }
    });
    child.on('exit', (code) => fail(`exited with ${code}`));
    // Settled promises ignore later calls, so a late exit is harmless.
  });
}

async function stop(child: ChildProcess, client: rpc.AnalyzerClient) {
  client.close();
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

type Call<Req, Res> = (
  req: Req,
  cb: (err: grpc.ServiceError | null, res: Res) => void,
) => unknown;

export function call<Req, Res>(
  client: rpc.AnalyzerClient,
  method: Call<Req, Res>,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) =>
    method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))),
  );
}

export function empty(): never {
  return new Empty() as never;
}

export function struct(value: Record<string, unknown>): never {
  return Struct.fromJavaScript(
    toWire(value) as Record<string, unknown>,
  ) as never;
}

export function analyzeRequest(r: TestResource): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setName(r.name);
  req.setUrn(r.urn);
  req.setProperties(struct(r.props));
  req.setOptions(options(r.parent));
  return req;
}

function options(parent?: string): pb.AnalyzerResourceOptions {
  const opts = new pb.AnalyzerResourceOptions();
  if (parent) opts.setParent(parent);
  return opts;
}

export function stackResource(r: TestResource): pb.AnalyzerResource {
  const res = new pb.AnalyzerResource();
  res.setType(r.type);
  res.setName(r.name);
  res.setUrn(r.urn);
  res.setProperties(struct(r.props));
  res.setOptions(options(r.parent));
  if (r.parent) res.setParent(r.parent);
  res.setDependenciesList([...(r.dependencies ?? [])]);
  const deps = res.getPropertydependenciesMap();
  for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
    const d = new pb.AnalyzerPropertyDependencies();
    d.setUrnsList([...urns]);
    deps.set(k, d);
  }
  return res;
}

export function analyzeResult(res: pb.AnalyzeResponse): AnalyzeResult {
  return {
    diagnostics: res.getDiagnosticsList().map((d) => ({
      policy: d.getPolicyname(),
      level: LEVELS[d.getEnforcementlevel()] ?? 'advisory',
      message: d.getMessage(),
      urn: d.getUrn(),
    })),
    notApplicable: res.getNotApplicableList().map((n) => ({
      policy: n.getPolicyName(),
      reason: n.getReason(),
    })),
  };
}

export function remediationResult(
  res: pb.RemediateResponse,
): RemediationResult[] {
  return res.getRemediationsList().map((r) => {
    const props = r.getProperties() as
      { toJavaScript(): Record<string, unknown> } | undefined;
    return {
      policy: r.getPolicyname(),
      props: props
        ? (fromWire(props.toJavaScript()) as Record<string, unknown>)
        : undefined,
      diagnostic: r.getDiagnostic(),
    };
  });
}

export { LEVELS };
