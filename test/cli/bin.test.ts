/**
 * The installed command: bin/modelgate.js running the compiled dist/, as
 * CI runs it, with real pipes, exit codes and stdin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROV_OFF, fixtureDir, loadBalancer, modelDeployment } from './support';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'modelgate.js');

function modelgate(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bin/modelgate.js', () => {
  const dir = fixtureDir();
  const config = dir.write('config.yaml', PROV_OFF);

  beforeAll(() => {
    // Compiles into dist/ as `npm run build` does. tsc still emits when
    // another part of the tree fails to type-check, so the exit status is
    // not the test; the emitted entry point is.
    spawnSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(existsSync(join(ROOT, 'dist', 'cli', 'main.js'))).toBe(true);
  }, 150_000);
  afterAll(() => dir.remove());

  describe('when run as a process', () => {
    it('exits 0 on an allowed model and 1 on a denied Service read across stdin', () => {
      const model = dir.write('model.yaml', modelDeployment('llm'));
      const ok = modelgate(['check', '--offline', '--config', config, model]);
      expect(ok).toMatchObject({ code: 0, stderr: '' });
      expect(ok.stdout).toMatch(/^ALLOW Deployment ml\/llm /);

      const denied = modelgate(
        [
          'check',
          '--offline',
          '--config',
          config,
          '--output',
          'json',
          model,
          '-',
        ],
        loadBalancer('llm'),
      );
      expect(denied.code).toBe(1);
      const report = JSON.parse(denied.stdout);
      expect(report.objects[1]).toMatchObject({
        file: '<stdin>',
        decision: 'deny',
        rules: ['MG-RATE-004'],
      });
    });

    it('exits 2 with one line on stderr for a bad config', () => {
      const bad = dir.write('bad.yaml', 'defaultMode: sometimes\n');
      const r = modelgate(['check', '--config', bad, '-'], '');
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^modelgate: config: defaultMode: must be one of .*\n$/,
      );
    });

    it('prints the help with the exit codes', () => {
      const r = modelgate(['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Exit codes:');
    });
  });
});
