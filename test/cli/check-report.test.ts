import { join } from 'node:path';
import { INPUT_RULE, JSON_REPORT_SCHEMA, SARIF_SCHEMA } from '../../cli/report';
import {
  bareModelDeployment,
  fixtureDir,
  loadBalancer,
  modelDeployment,
  run,
} from './support';

/** Rule modes that give one finding of each level, and an exemption. */
const CONFIG = `rules:
  MG-PROV: off
  MG-DECOM-001: warn
  MG-DECOM-002: audit
exemptions:
  - name: legacy-llm
    justification: migrating to the gateway by the end of the quarter
    approver: ciso@example.com
    expires: "2999-01-01"
    rules: [MG-RATE-004]
    namespaces: [ml]
`;

/** The parts of a SARIF result these tests read. */
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
  properties: Record<string, unknown>;
  suppressions?: unknown[];
}

describe('modelgate check', () => {
  const dir = fixtureDir();
  const config = dir.write('config.yaml', CONFIG);
  const bare = dir.write('m/bare.yaml', bareModelDeployment());
  const exempt = dir.write(
    'm/svc.yaml',
    loadBalancer('bare').replace(
      'metadata: {name: front, namespace: ml}',
      'metadata:\n  name: front\n  namespace: ml\n  annotations: {modelgate.io/exemption: legacy-llm}',
    ),
  );
  const fine = dir.write('m/fine.yaml', modelDeployment('fine'));
  const broken = dir.write('m/broken.yaml', 'kind: [\n');
  const check = (output: string) =>
    run([
      'check',
      '--offline',
      '--config',
      config,
      '--output',
      output,
      join(dir.root, 'm'),
    ]);
  afterAll(() => dir.remove());

  describe('when the output is text', () => {
    it('writes one block per object, findings indented with rule and mode', async () => {
      const r = await check('text');
      expect(r.stdout.split('\n').slice(0, 4)).toEqual([
        `DENY Deployment ml/bare (${bare}:1 doc 1)`,
        '  [MG-RATE-001 enforce] spec.template.metadata.annotations: ' +
          'model workload bare declares no rate limit; add annotation modelgate.io/rate-limit ' +
          '(<n>/s, <n>/m, <n>/h, <n>rps or <n>rpm) and enforce it at the gateway',
        expect.stringMatching(
          /^ {2}\[MG-DECOM-001 warn\] spec\.template\.metadata\.labels: /,
        ),
        expect.stringMatching(
          /^ {2}\[MG-DECOM-002 audit\] spec\.template\.metadata\.labels: /,
        ),
      ]);
      expect(r.stdout).toContain(`ALLOW Deployment ml/fine (${fine}:1 doc 1)`);
      expect(r.stdout).toContain(
        `ALLOW Service ml/front (${exempt}:1 doc 1)\n` +
          '  [MG-RATE-004 enforce, exempted by legacy-llm] spec.type: ',
      );
      expect(r.stdout).toMatch(
        new RegExp(
          `\\nERROR ${broken}:\\d+:\\d+ doc 1: not valid YAML: .* \\(INPUT_INVALID\\)\\n`,
        ),
      );
      expect(r.stdout).toMatch(
        /\nchecked 3 objects in 4 files: 1 denied, 0 warned, 2 allowed, 1 error\n$/,
      );
      expect(r.stderr).toBe('');
    });
  });

  describe('when the output is json', () => {
    it('writes the documented structure', async () => {
      const r = await check('json');
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({
        schema: JSON_REPORT_SCHEMA,
        tool: { name: 'modelgate', version: '0.1.0' },
        summary: {
          files: 4,
          objects: 3,
          denied: 1,
          warned: 0,
          allowed: 2,
          errors: 1,
        },
        errors: [
          {
            file: broken,
            document: 1,
            line: expect.any(Number),
            code: 'INPUT_INVALID',
            message: expect.stringMatching(/^not valid YAML: /),
          },
        ],
      });
      expect(report.objects.map((o: { file: string }) => o.file)).toEqual([
        bare,
        fine,
        exempt,
      ]);
      expect(report.objects[0]).toEqual({
        file: bare,
        document: 1,
        line: 1,
        target: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: 'bare',
          namespace: 'ml',
        },
        decision: 'deny',
        rules: ['MG-RATE-001', 'MG-DECOM-001'],
        findings: [
          expect.objectContaining({
            rule: 'MG-RATE-001',
            mode: 'enforce',
            severity: 'high',
            provisions: ['5.2.2-2'],
            path: 'spec.template.metadata.annotations',
            line: 10,
          }),
          expect.objectContaining({
            rule: 'MG-DECOM-001',
            mode: 'warn',
            line: 11,
          }),
          expect.objectContaining({ rule: 'MG-DECOM-002', mode: 'audit' }),
        ],
      });
      expect(report.objects[2].findings[0]).toMatchObject({
        rule: 'MG-RATE-004',
        exemption: 'legacy-llm',
      });
      expect(r.code).toBe(1);
    });
  });

  describe('when the output is sarif', () => {
    it('writes a SARIF 2.1.0 log with one rule per id and one result per finding', async () => {
      const r = await check('sarif');
      const log = JSON.parse(r.stdout);
      expect(log.version).toBe('2.1.0');
      expect(log.$schema).toBe(SARIF_SCHEMA);
      expect(log.runs).toHaveLength(1);
      const [sarifRun] = log.runs;
      const rules = sarifRun.tool.driver.rules as { id: string }[];
      expect(sarifRun.tool.driver.name).toBe('modelgate');
      expect(rules.map((rule) => rule.id)).toEqual([
        'MG-RATE-001',
        'MG-DECOM-001',
        'MG-DECOM-002',
        'MG-RATE-004',
        INPUT_RULE,
      ]);
      expect(rules[0]).toMatchObject({
        shortDescription: { text: expect.any(String) },
        properties: { provisions: ['5.2.2-2'], severity: 'high' },
      });
      const results = sarifRun.results as SarifResult[];
      expect(results.map((x) => [x.ruleId, x.level])).toEqual([
        ['MG-RATE-001', 'error'],
        ['MG-DECOM-001', 'warning'],
        ['MG-DECOM-002', 'note'],
        ['MG-RATE-004', 'error'],
        [INPUT_RULE, 'error'],
      ]);
      for (const result of results) {
        expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
        expect(result.message.text).toEqual(expect.any(String));
      }
      expect(results[0]!.locations).toEqual([
        {
          physicalLocation: {
            artifactLocation: { uri: `file://${bare}` },
            region: { startLine: 10 },
          },
          logicalLocations: [
            {
              name: 'spec.template.metadata.annotations',
              fullyQualifiedName:
                'Deployment/ml/bare:spec.template.metadata.annotations',
              kind: 'property',
            },
          ],
        },
      ]);
      expect(results[0]!.properties).toMatchObject({
        path: 'spec.template.metadata.annotations',
        mode: 'enforce',
      });
      expect(results[3]!.suppressions).toEqual([
        { kind: 'external', justification: 'exemption legacy-llm' },
      ]);
      expect(
        results[4]!.locations[0]!.physicalLocation.artifactLocation.uri,
      ).toBe(`file://${broken}`);
      expect(r.code).toBe(1);
    });

    it('writes relative paths as relative URIs', async () => {
      const cwd = process.cwd();
      process.chdir(dir.root);
      try {
        const r = await run([
          'check',
          '--offline',
          '--config',
          config,
          '--output',
          'sarif',
          'm/bare.yaml',
        ]);
        const uri = JSON.parse(r.stdout).runs[0].results[0].locations[0]
          .physicalLocation.artifactLocation.uri;
        expect(uri).toBe('m/bare.yaml');
      } finally {
        process.chdir(cwd);
      }
    });
  });
});
