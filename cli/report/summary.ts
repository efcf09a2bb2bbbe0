import type { CheckReport, Summary } from './types';

/** Counts the report's objects by decision. */
export function summarize(report: CheckReport): Summary {
  const count = (decision: string) =>
    report.objects.filter((o) => o.decision === decision).length;
  return {
    files: report.files.length,
    objects: report.objects.length,
    denied: count('deny'),
    warned: count('warn'),
    allowed: count('allow'),
    errors: report.errors.length,
  };
}

/** `checked 12 objects in 3 files: 2 denied, 1 warned, 9 allowed, 1 error` */
export function summaryLine(s: Summary): string {
  return (
    `checked ${plural(s.objects, 'object')} in ${plural(s.files, 'file')}: ` +
    `${s.denied} denied, ${s.warned} warned, ${s.allowed} allowed, ` +
    plural(s.errors, 'error')
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
