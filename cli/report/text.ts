/**
 * The report for people: one block per object, its findings indented
 * under it, unreadable documents, and a summary line.
 */
import type { InputError, SourceRef } from '../input';
import { summarize, summaryLine } from './summary';
import type {
  CheckReport,
  CheckedObject,
  RenderOptions,
  ReportFinding,
} from './types';

export function renderText(
  report: CheckReport,
  options: RenderOptions,
): string {
  const lines: string[] = [];
  for (const object of report.objects) {
    if (options.quiet && isQuiet(object)) continue;
    lines.push(...objectBlock(object));
  }
  for (const error of report.errors) lines.push(errorLine(error));
  lines.push(summaryLine(summarize(report)));
  return `${lines.join('\n')}\n`;
}

function isQuiet(object: CheckedObject): boolean {
  return (
    object.decision === 'allow' &&
    object.findings.length === 0 &&
    object.fault === undefined
  );
}

function objectBlock(object: CheckedObject): string[] {
  const { kind, namespace, name } = object.target;
  const id = namespace ? `${namespace}/${name}` : name || '(unnamed)';
  const subject = printable(`${kind} ${id}`);
  const decision = object.decision.toUpperCase();
  const head = `${decision} ${subject} (${where(object.source)})`;
  // A fault's note says why it was not judged; an allow's note says the
  // object was out of scope, so an ALLOW never reads as "checked and fine"
  // when nothing was checked.
  const notes = object.note ? [`  note: ${printable(object.note)}`] : [];
  return [head, ...notes, ...object.findings.map(findingLine)];
}

function findingLine(f: ReportFinding): string {
  const exempt = f.exemption ? `, exempted by ${f.exemption}` : '';
  const text = `${printable(f.path)}: ${printable(f.message)}`;
  return `  [${f.rule} ${f.mode}${exempt}] ${text}`;
}

function errorLine(error: InputError): string {
  const message = printable(error.message);
  return `ERROR ${where(error.source)}: ${message} (${error.code})`;
}

/**
 * Names and messages quote the manifests, which are untrusted: a newline
 * would break the one-line-per-finding layout, and a control character
 * could rewrite the terminal or the CI log it is printed to.
 */
function printable(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\p{Cc}/gu, '?');
}

/** `dir/a.yaml:12:3 doc 2 items[0]`: file:line:column first, for editors. */
function where(source: SourceRef): string {
  let at = source.file;
  if (source.line !== undefined) at += `:${source.line}`;
  if (source.line !== undefined && source.column !== undefined) {
    at += `:${source.column}`;
  }
  if (source.document !== undefined) at += ` doc ${source.document}`;
  if (source.item !== undefined) at += ` ${source.item}`;
  return at;
}
