/** Plain-text tables for the benchmark's output. */

export type Row = readonly string[];

/** Prints a section heading, then the rows with aligned columns. */
export function printTable(title: string, header: Row, rows: readonly Row[]) {
  const all = [header, ...rows];
  const widths = header.map((_, c) =>
    Math.max(...all.map((r) => (r[c] ?? '').length)),
  );
  const line = (r: Row) =>
    r
      .map((cell, c) =>
        c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!),
      )
      .join('  ')
      .trimEnd();
  print(`\n${title}`);
  print(`  ${line(header)}`);
  print(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const r of rows) print(`  ${line(r)}`);
}

export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A figure of ours beside the reference's, with their ratio. */
export function compareRow(
  label: string,
  ours: number,
  reference: number,
  format: (n: number) => string,
): Row {
  return [label, format(ours), format(reference), ratio(ours, reference)];
}

export function ratio(ours: number, reference: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(reference)) return 'n/a';
  if (reference === 0) return ours === 0 ? '1.00' : 'n/a';
  return (ours / reference).toFixed(2);
}

export const fmt = {
  ms: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
  us: (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a'),
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : 'n/a'),
  cores: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
};
