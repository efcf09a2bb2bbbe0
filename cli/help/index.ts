/**
 * Usage texts and the version. The exit-code contract lives here, in the
 * help people read, so the documentation and the code cannot drift apart:
 * main() returns only the codes named in EXIT.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The exit codes `modelgate` returns. */
export const EXIT = {
  /** Nothing was denied (warnings and audit findings do not fail). */
  ok: 0,
  /** Something was denied, could not be judged or read, or serve failed. */
  failed: 1,
  /** A usage or config error: nothing was checked. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const EXIT_CODES = `Exit codes:
  0  nothing was denied (warn and audit findings do not fail the run)
  1  an object was denied; or an input document could not be read as a
     Kubernetes object (an unreadable manifest must not pass CI silently);
     or an object could not be judged and failurePolicy (closed by
     default) denied it
  2  usage or config error: unknown flag, missing file, invalid config`;

export const MAIN_USAGE = `Usage: modelgate <command> [options]

Keeps AI model deployments within ETSI EN 304 223.

Commands:
  check    check Kubernetes manifests against the modelgate rules
  serve    run the Kubernetes validating admission webhook
  version  print the version
  help     print this help, or a command's help (modelgate help check)

Run 'modelgate <command> --help' for a command's options.

${EXIT_CODES}
`;

export const CHECK_USAGE = `Usage: modelgate check [options] PATH... | -

Judges every Kubernetes object in the given files and directories (read
recursively: *.yaml, *.yml, *.json, in sorted order) or on stdin (-).
YAML files may hold several documents; JSON files one object, an array, or
a List. All objects are judged together, so rules read across files: a
Service in one file and the model Deployment it selects in another.

Options:
  --config FILE    modelgate config (YAML or JSON); default: the embedded
                   strict config, where every rule enforces
  --output FORMAT  text (default), json or sarif (SARIF 2.1.0)
  --offline        look up no image signatures in registries; every model
                   image then gets an MG-PROV-003 finding
  --quiet          text output: list only objects with findings
  -h, --help       print this help

Stdout carries only the report; diagnostics go to stderr.

${EXIT_CODES}
`;

const SERVE_SYNOPSIS =
  'Usage: modelgate serve [options] --tls-cert FILE --tls-key FILE';

export const SERVE_USAGE = `${SERVE_SYNOPSIS}

Runs the validating admission webhook over HTTPS until SIGTERM or SIGINT.

Options:
  --config FILE    modelgate config (YAML or JSON); default: the embedded
                   strict config
  --port PORT      port to listen on (default 8443)
  --host HOST      address to listen on (default 0.0.0.0)
  --tls-cert FILE  PEM certificate chain (required)
  --tls-key FILE   PEM private key (required)
  --kubeconfig FILE  read the cluster (claims, classes, Services, Namespaces,
                   scale targets) through this kubeconfig's watches
  --cluster        read the cluster through the Pod's service account (the
                   default when running in a Pod)
  --no-cluster     judge each object on its own, with no cluster view
  --drain-seconds N  on SIGTERM, report unready and keep answering for N
                   seconds before closing
  -h, --help       print this help

Exit codes:
  0  the server stopped cleanly after SIGTERM or SIGINT
  1  the server could not start
  2  usage or config error
`;

/** The package version, read from package.json next to src or dist. */
export function readVersion(): string {
  for (const up of [
    ['..', '..'],
    ['..', '..', '..'],
  ]) {
    try {
      const text = readFileSync(join(__dirname, ...up, 'package.json'), 'utf8');
      const pkg = JSON.parse(text) as { name?: string; version?: string };
      if (pkg.name === 'modelgate' && pkg.version) return pkg.version;
    } catch {
      // Not in this folder; try the next one up.
    }
  }
  return 'unknown';
}
