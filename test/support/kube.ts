/**
 * A real control plane for end-to-end suites: etcd and kube-apiserver on
 * 127.0.0.1 with a throwaway PKI, and kubectl pointed at them through an
 * admin kubeconfig. Every process started here is stopped by stop(), and
 * by a last-chance exit hook when a suite dies before its afterAll.
 */
import {
  execFile,
  spawn,
  spawnSync,
  type ChildProcess,
} from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, '.tools', 'bin');

export type KubeTool = 'etcd' | 'kube-apiserver' | 'kubectl' | 'helm';

export function toolPath(tool: KubeTool): string {
  return join(BIN, tool);
}

/** Why a suite must skip, or undefined when every tool is built. */
export function missingTools(tools: readonly KubeTool[]): string | undefined {
  const missing = tools.filter((t) => !existsSync(toolPath(t)));
  if (missing.length === 0) return undefined;
  return `${missing.join(', ')} not built (bash scripts/tools.sh kube etcd helm)`;
}

export interface ControlPlane {
  /** `https://127.0.0.1:<port>` of the API server. */
  readonly server: string;
  /** Admin kubeconfig (system:masters). */
  readonly kubeconfig: string;
  /** Folder of this control plane's files; removed by stop(). */
  readonly dir: string;
  kubectl(args: readonly string[], input?: string): Promise<CommandResult>;
  stop(): Promise<void>;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Processes still running, killed on exit if a suite never stopped them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts etcd, then kube-apiserver, and resolves once /readyz says ok. */
export async function startControlPlane(): Promise<ControlPlane> {
  const dir = mkdtempSync(join(tmpdir(), 'modelgate-kube-'));
  const started: ChildProcess[] = [];
  const stop = async () => {
    for (const child of started.reverse()) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pki = makePki(dir);
    const [etcdPort, peerPort, apiPort] = await freePorts(3);
    started.push(startEtcd(dir, etcdPort!, peerPort!));
    started.push(startApiServer(dir, pki, etcdPort!, apiPort!));
    const server = `https://127.0.0.1:${apiPort}`;
    await waitForReady(server, pki, started);
    const kubeconfig = writeKubeconfig(dir, server, pki);
    return {
      server,
      kubeconfig,
      dir,
      kubectl: (args, input) =>
        run(toolPath('kubectl'), ['--kubeconfig', kubeconfig, ...args], input),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface Pki {
  readonly caFile: string;
  readonly caPem: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saPub: string;
  readonly saKey: string;
}

function makePki(dir: string): Pki {
  const f = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  openssl([
    ...['req', '-x509', ...ec, '-nodes', '-days', '1'],
    ...['-subj', '/CN=modelgate e2e cluster CA'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE'],
    ...['-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    ...['-keyout', f('ca.key'), '-out', f('ca.crt')],
  ]);
  const issue = (name: string, subject: string, ext: string[]) => {
    writeFileSync(f(`${name}.ext`), ext.join('\n'));
    openssl([
      ...['req', '-new', ...ec, '-nodes', '-subj', subject],
      ...['-keyout', f(`${name}.key`), '-out', f(`${name}.csr`)],
    ]);
    openssl([
      ...['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt')],
      ...['-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1'],
      ...['-extfile', f(`${name}.ext`), '-out', f(`${name}.crt`)],
    ]);
  };
  issue('apiserver', '/CN=kube-apiserver', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  issue('admin', '/O=system:masters/CN=modelgate-e2e-admin', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=clientAuth',
  ]);
  openssl([
    ...['genpkey', '-algorithm', 'EC'],
    ...['-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', f('sa.key')],
  ]);
  openssl(['pkey', '-in', f('sa.key'), '-pubout', '-out', f('sa.pub')]);
  return {
    caFile: f('ca.crt'),
    caPem: readFileSync(f('ca.crt'), 'utf8'),
    serverCert: f('apiserver.crt'),
    serverKey: f('apiserver.key'),
    adminCert: f('admin.crt'),
    adminKey: f('admin.key'),
    saPub: f('sa.pub'),
    saKey: f('sa.key'),
  };
}

function startEtcd(dir: string, port: number, peer: number): ChildProcess {
  const client = `http://127.0.0.1:${port}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  return startProcess('etcd', toolPath('etcd'), dir, [
    `--data-dir=${join(dir, 'etcd')}`,
    '--name=e2e',
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=e2e=${peerUrl}`,
    // Throwaway data: durability only costs time here.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ]);
}

function startApiServer(
  dir: string,
  pki: Pki,
  etcdPort: number,
  port: number,
): ChildProcess {
  return startProcess('kube-apiserver', toolPath('kube-apiserver'), dir, [
    `--etcd-servers=http://127.0.0.1:${etcdPort}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    // The kubernetes Service may not point at a loopback address.
    '--endpoint-reconciler-type=none',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caFile}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    // No controller manager runs to create service account tokens.
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=https://127.0.0.1:${port}/`,
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    '--v=0',
  ]);
}

function startProcess(
  name: string,
  file: string,
  dir: string,
  args: readonly string[],
): ChildProcess {
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const append = (chunk: Buffer) => {
    try {
      writeFileSync(log, chunk, { flag: 'a' });
    } catch {
      // The folder is gone once stop() ran; late output is dropped.
    }
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  running.add(child);
  child.once('exit', () => running.delete(child));
  Object.assign(child, { logFile: log, toolName: name });
  return child;
}

/** SIGTERM, then SIGKILL if the process is still there after a while. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export { startProcess as startLoggedProcess };

async function waitForReady(
  server: string,
  pki: Pki,
  started: readonly ChildProcess[],
): Promise<void> {
  const options = {
    ca: pki.caPem,
    cert: readFileSync(pki.adminCert),
    key: readFileSync(pki.adminKey),
  };
  for (let attempt = 0; attempt < 240; attempt++) {
    const dead = started.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`${describeChild(dead)} exited early`);
    if ((await getStatus(`${server}/readyz`, options)) === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`kube-apiserver not ready: ${describeChild(started[1]!)}`);
}

function describeChild(child: ChildProcess): string {
  const { toolName, logFile } = child as ChildProcess & {
    toolName?: string;
    logFile?: string;
  };
  const tail =
    logFile && existsSync(logFile)
      ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n')
      : '';
  return `${toolName ?? 'process'}: ${tail}`;
}

export function getStatus(
  url: string,
  options: { ca?: string; cert?: Buffer; key?: Buffer } = {},
): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { ...options, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

function writeKubeconfig(dir: string, server: string, pki: Pki): string {
  const b64 = (file: string) => readFileSync(file).toString('base64');
  const file = join(dir, 'admin.kubeconfig');
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'e2e',
        cluster: { server, 'certificate-authority-data': b64(pki.caFile) },
      },
    ],
    users: [
      {
        name: 'admin',
        user: {
          'client-certificate-data': b64(pki.adminCert),
          'client-key-data': b64(pki.adminKey),
        },
      },
    ],
    contexts: [{ name: 'e2e', context: { cluster: 'e2e', user: 'admin' } }],
    'current-context': 'e2e',
  };
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** Ports free right now on 127.0.0.1 (the OS picks, then releases them). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => {
      const s = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve) =>
        s.listen(0, '127.0.0.1', () => resolve(s)),
      );
    }),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function run(
  file: string,
  args: readonly string[],
  input?: string,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { maxBuffer: 32 * 1024 * 1024, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

function openssl(args: readonly string[]): void {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr.trim()}`);
}
