/**
 * Renders a check report as text, JSON or SARIF. Rendering decides
 * nothing: decisions come from the engine.
 */
import { renderJson } from './json';
import { renderSarif } from './sarif';
import { renderText } from './text';
import type { CheckReport, OutputFormat, RenderOptions } from './types';

export type {
  CheckReport,
  CheckedObject,
  OutputFormat,
  RenderOptions,
  ReportFinding,
  Summary,
} from './types';
export { JSON_REPORT_SCHEMA } from './json';
export { FAULT_RULE, INPUT_RULE, SARIF_SCHEMA } from './sarif';

export const OUTPUT_FORMATS: readonly OutputFormat[] = [
  'text',
  'json',
  'sarif',
];

export function render(
  format: OutputFormat,
  report: CheckReport,
  options: RenderOptions,
): string {
  if (format === 'json') return renderJson(report, options);
  if (format === 'sarif') return renderSarif(report, options);
  return renderText(report, options);
}
