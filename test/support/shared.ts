/**
 * The shared research folder beside the repository (`../shared`): public
 * corpus manifests and fault cases. A fresh clone has none, and the suites
 * that read it skip with one line saying so.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const sharedDir = resolve(
  process.env.MODELGATE_SHARED ?? join(__dirname, '..', '..', '..', 'shared'),
);

/** `describe` when the folder exists, else `describe.skip` with a note. */
export function describeShared(
  sub: string,
): [typeof describe | typeof describe.skip, string] {
  const dir = join(sharedDir, sub);
  if (existsSync(dir)) return [describe, dir];
  process.stderr.write(
    `skipping: ${dir} not found (fresh clone without ../shared)\n`,
  );
  return [describe.skip, dir];
}
