/**
 * SARIF 2.1.0 for code-scanning tools: one rule entry per rule id seen, one
 * result per finding, and results for documents that could not be read.
 */
import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Mode } from '../../core/engine';
import type { InputError, SourceRef } from '../input';
import type {
  CheckReport,
  CheckedObject,
  RenderOptions,
  ReportFinding,
} from './types';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** Result ids of the CLI's own; policy rule ids look like `MG-PROV-001`. */
export const INPUT_RULE = 'modelgate/input-invalid';
export const FAULT_RULE = 'modelgate/not-judged';

const CLI_RULES: Readonly<Record<string, string>> = {
  [INPUT_RULE]: 'manifest document can be read as a Kubernetes object',
  [FAULT_RULE]: 'object could be judged by modelgate',
};

const LEVELS: Readonly<Record<Mode, string>> = {
  enforce: 'error',
  warn: 'warning',
  audit: 'note',
  off: 'none',
};

/** GitHub code scanning ranks security results by this score. */
const SECURITY_SEVERITY = { high: '8.0', medium: '5.0', low: '3.0' } as const;

type SarifResult = Record<string, unknown>;

export function renderSarif(
  report: CheckReport,
  options: RenderOptions,
): string {
  const rules = new RuleTable();
  const results: SarifResult[] = [];
  for (const object of report.objects) {
    results.push(...objectResults(object, rules));
  }
  for (const error of report.errors) results.push(errorResult(error, rules));

  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'modelgate',
            version: options.version,
            rules: rules.entries,
          },
        },
        // The YAML parser counts columns in UTF-16 units, as JS strings do.
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The `tool.driver.rules` array, with an index for each id. */
class RuleTable {
  readonly entries: Record<string, unknown>[] = [];
  private readonly index = new Map<string, number>();

  indexOf(id: string, finding?: Finding): number {
    const known = this.index.get(id);
    if (known !== undefined) return known;
    this.index.set(id, this.entries.length);
    this.entries.push(ruleEntry(id, finding));
    return this.entries.length - 1;
  }
}

function ruleEntry(id: string, finding: Finding | undefined) {
  const family = id.split('-').slice(0, 2).join('-');
  const title = CLI_RULES[id] ?? finding?.title ?? id;
  if (!finding) return { id, shortDescription: { text: title } };
  return {
    id,
    shortDescription: { text: title },
    properties: {
      provisions: finding.provisions,
      severity: finding.severity,
      'security-severity': SECURITY_SEVERITY[finding.severity],
      tags: ['security', 'EN 304 223', family],
    },
  };
}

function objectResults(object: CheckedObject, rules: RuleTable): SarifResult[] {
  if (object.fault) {
    return [
      {
        ruleId: FAULT_RULE,
        ruleIndex: rules.indexOf(FAULT_RULE),
        level: object.decision === 'deny' ? 'error' : 'warning',
        message: { text: object.note ?? object.fault.message },
        locations: [location(object.source, object.source.line, object)],
        properties: { target: object.target, decision: object.decision },
      },
    ];
  }
  return object.findings.map((f) => findingResult(object, f, rules));
}

function findingResult(
  object: CheckedObject,
  f: ReportFinding,
  rules: RuleTable,
): SarifResult {
  return {
    ruleId: f.rule,
    ruleIndex: rules.indexOf(f.rule, f),
    level: LEVELS[f.mode],
    message: { text: f.message },
    locations: [location(object.source, f.line, object, f.path)],
    // An exempted finding is reported as suppressed by config, so code
    // scanning shows it as dismissed rather than dropping it.
    ...(f.exemption
      ? {
          suppressions: [
            { kind: 'external', justification: `exemption ${f.exemption}` },
          ],
        }
      : {}),
    properties: {
      path: f.path,
      mode: f.mode,
      provisions: f.provisions,
      severity: f.severity,
      target: object.target,
      decision: object.decision,
    },
  };
}

function errorResult(error: InputError, rules: RuleTable): SarifResult {
  return {
    ruleId: INPUT_RULE,
    ruleIndex: rules.indexOf(INPUT_RULE),
    level: 'error',
    message: { text: error.message },
    locations: [location(error.source, error.source.line)],
    properties: { code: error.code, document: error.source.document },
  };
}

function location(
  source: SourceRef,
  line: number | undefined,
  object?: CheckedObject,
  path?: string,
) {
  const region =
    line === undefined
      ? undefined
      : {
          startLine: line,
          startColumn: line === source.line ? source.column : undefined,
        };
  return {
    physicalLocation: { artifactLocation: { uri: toUri(source.file) }, region },
    logicalLocations: object && [logicalLocation(object, path)],
  };
}

function logicalLocation(object: CheckedObject, path: string | undefined) {
  const { kind, namespace, name } = object.target;
  const id = [kind, namespace, name].filter(Boolean).join('/');
  return path
    ? { name: path, fullyQualifiedName: `${id}:${path}`, kind: 'property' }
    : { name: id, fullyQualifiedName: id, kind: 'object' };
}

/** A relative path stays a relative URI; an absolute one becomes file://. */
function toUri(file: string): string {
  if (isAbsolute(file)) return pathToFileURL(file).href;
  return file.split(sep).map(encodeURIComponent).join('/');
}
