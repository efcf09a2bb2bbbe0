/**
 * The machine-readable report. Its shape is documented in cli/README.md and
 * versioned by `schema`; fields are only ever added.
 */
import type { InputError, SourceRef } from '../input';
import { summarize } from './summary';
import type { CheckReport, CheckedObject, RenderOptions } from './types';

/** Identifies this report shape; bump it on a breaking change. */
export const JSON_REPORT_SCHEMA = 'modelgate.io/check-report/v1';

export function renderJson(
  report: CheckReport,
  options: RenderOptions,
): string {
  const body = {
    schema: JSON_REPORT_SCHEMA,
    tool: { name: 'modelgate', version: options.version },
    summary: summarize(report),
    objects: report.objects.map(objectEntry),
    errors: report.errors.map(errorEntry),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

function objectEntry(o: CheckedObject) {
  return {
    ...sourceFields(o.source),
    target: o.target,
    decision: o.decision,
    rules: o.rules,
    findings: o.findings.map((f) => ({
      rule: f.rule,
      provisions: f.provisions,
      severity: f.severity,
      mode: f.mode,
      path: f.path,
      line: f.line,
      message: f.message,
      exemption: f.exemption,
    })),
    note: o.note,
    fault: o.fault,
  };
}

function errorEntry(e: InputError) {
  return { ...sourceFields(e.source), code: e.code, message: e.message };
}

function sourceFields(s: SourceRef) {
  return {
    file: s.file,
    document: s.document,
    item: s.item,
    line: s.line,
    column: s.column,
  };
}
