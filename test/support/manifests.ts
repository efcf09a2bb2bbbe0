/** Reads multi-document YAML or JSON manifests for tests. */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export function readManifests(path: string): unknown[] {
  const text = readFileSync(path, 'utf8');
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw doc.errors[0];
      return doc.toJS() as unknown;
    })
    .filter((d) => d !== null && d !== undefined);
}
