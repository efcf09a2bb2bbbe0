import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../../core/config';
import { createEngine } from '../../core/engine';
import { coveredTypes, type PolicyObject } from '../../core/normalize';
import type { Finding, Verdict } from '../../core/engine';
import { PACK_DEFAULTS, createConfigCache } from '../../pulumi-policies/config';
import { FAMILIES } from '../../pulumi-policies/families';
import { mask, present } from '../../pulumi-policies/present';
import { parsePath, setAtPath } from '../../pulumi-policies/remediate';

const ROOT = join(__dirname, '..', '..');

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'MG-DECOM-002',
  provisions: ['5.5.1-2'],
  severity: 'medium',
  message: 'records no decommissioning procedure',
  path: 'spec.template.metadata.labels',
  mode: 'enforce',
  ...over,
});

const verdict = (findings: Finding[]): Verdict => ({
  decision: 'deny',
  target: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'llm',
    namespace: 'ns',
  },
  findings,
  rules: [],
});

const object = (over: Partial<PolicyObject> = {}): PolicyObject => ({
  apiVersion: 'apps/v1',
  group: 'apps',
  kind: 'Deployment',
  name: 'llm',
  namespace: 'ns',
  labels: {},
  annotations: {},
  templates: [],
  images: [],
  modelUris: [],
  serves: true,
  ...over,
});

const subject = (
  over: Partial<PolicyObject> = {},
  secretValues: string[] = [],
) => ({
  object: object(over),
  secretValues,
});

describe('present', () => {
  it.each([
    ['enforce', undefined],
    ['warn', 'advisory'],
  ] as const)('reports a %s finding at level %s', (mode, level) => {
    const [v] = present(verdict([finding({ mode })]), subject(), PACK_DEFAULTS);
    expect(v).toMatchObject({ family: 'MG-DECOM', level, fixable: true });
    expect(v!.text).toBe(
      '[MG-DECOM-002] spec.template.metadata.labels: records no decommissioning procedure',
    );
  });

  it('reports nothing for audit, off or exempted findings, as admission does', () => {
    const found = [
      finding({ mode: 'audit' }),
      finding({ mode: 'off' }),
      finding({ exemption: 'legacy' }),
    ];
    expect(present(verdict(found), subject(), PACK_DEFAULTS)).toEqual([]);
  });

  it('reports a deferral in place of the findings of the rule it defers', () => {
    const deferral = finding({
      deferred: true,
      conditional: false,
      message: 'later',
    });
    const out = present(
      verdict([finding({}), deferral]),
      subject(),
      PACK_DEFAULTS,
    );
    expect(out.map((v) => [v.text, v.level, v.fixable])).toEqual([
      [
        '[MG-DECOM-002] spec.template.metadata.labels: later',
        'advisory',
        false,
      ],
    ]);
  });

  it('keeps a deferral mandatory when config says unknown values block', () => {
    const deferral = finding({ deferred: true, message: 'later' });
    const options = { ...PACK_DEFAULTS, unknownLevel: 'mandatory' as const };
    expect(
      present(verdict([deferral]), subject(), options)[0]!.level,
    ).toBeUndefined();
  });

  it('defers a finding whose field sits inside an unknown value', () => {
    const f = finding({
      rule: 'MG-WIPE-003',
      path: 'forceDestroy',
      message: 'keeps',
    });
    const [v] = present(
      verdict([f]),
      subject({ unknown: ['forceDestroy'] }),
      PACK_DEFAULTS,
    );
    expect(v!.level).toBe('advisory');
    expect(v!.text).toContain(
      'at preview: forceDestroy is not known until apply',
    );
  });

  it('marks every finding on a possible model workload as conditional', () => {
    const marker = finding({
      rule: 'MG-DECOM-003',
      deferred: true,
      conditional: true,
      message: 'm',
    });
    const prov = finding({
      rule: 'MG-PROV-001',
      path: 'image',
      message: 'unsigned',
    });
    const out = present(verdict([marker, prov]), subject(), PACK_DEFAULTS);
    expect(out.map((v) => [v.rule, v.level])).toEqual([
      ['MG-DECOM-003', 'advisory'],
      ['MG-PROV-001', 'advisory'],
    ]);
    expect(out[1]!.text).toContain('if llm is a model workload: unsigned');
  });

  it('names tags where a cloud resource keeps them', () => {
    const cloud = {
      role: 'model' as const,
      tagsPath: 'labels',
      ids: [],
      retention: [],
      devices: [],
    };
    const [v] = present(
      verdict([finding({ path: 'metadata.labels' })]),
      subject({ cloud }),
      PACK_DEFAULTS,
    );
    expect(v!.text.startsWith('[MG-DECOM-002] labels:')).toBe(true);
  });

  it('never repeats a secret it read', () => {
    expect(mask('value "s3cret-v" is wrong', ['s3cret-v', 'x'])).toBe(
      'value "[secret]" is wrong',
    );
  });
});

describe('pack config', () => {
  it('reads the document a policy is given, and the pack settings beside it', async () => {
    const configs = createConfigCache();
    const c = configs({ defaultMode: 'warn', preview: { secrets: 'read' } });
    expect(c.fault).toBeUndefined();
    expect(c.config.defaultMode).toBe('warn');
    expect(c.options.secrets).toBe('read');
    expect(configs({ defaultMode: 'warn', preview: { secrets: 'read' } })).toBe(
      c,
    );
  });

  it('falls back to the MODELGATE_CONFIG file, then to the strict default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-pack-'));
    try {
      const file = join(dir, 'modelgate.yaml');
      writeFileSync(file, 'defaultMode: audit\n');
      expect(
        createConfigCache({ env: { MODELGATE_CONFIG: file } })({}).config
          .defaultMode,
      ).toBe('audit');
      expect(createConfigCache({ env: {} })({}).config.defaultMode).toBe(
        'enforce',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ preview: { unknown: 'block' } }, 'preview.unknown'],
    [{ remediation: { decommission: '' } }, 'remediation.decommission'],
    [{ defaultMode: 'maybe' }, 'defaultMode'],
  ])('turns %j into a CONFIG_INVALID fault naming %s', async (doc, field) => {
    const c = createConfigCache()(doc);
    expect(c.fault?.code).toBe('CONFIG_INVALID');
    expect(c.fault?.message).toContain(field);
    await expect(c.engine).rejects.toBe(c.fault);
  });
});

describe('the pack and the policy', () => {
  it('gives each family the provisions of its rules in the catalog', async () => {
    const { catalog } = await createEngine({ config: defaultConfig() });
    for (const family of FAMILIES) {
      const provisions = Object.entries(catalog)
        .filter(([id]) => id.startsWith(`${family.id}-`))
        .flatMap(([, info]) => info.provisions);
      expect([family.id, [...family.provisions].sort()]).toEqual([
        family.id,
        [...new Set(provisions)].sort(),
      ]);
    }
    const families = new Set(
      Object.keys(catalog).map((id) => id.split('-').slice(0, 2).join('-')),
    );
    expect([...families].sort()).toEqual(FAMILIES.map((f) => f.id).sort());
  });

  it('takes its name and version from the package', () => {
    const read = (p: string) => JSON.parse(readFileSync(join(ROOT, p), 'utf8'));
    const pack = read('pulumi-policies/package.json');
    const root = read('package.json');
    expect([pack.name, pack.version]).toEqual([root.name, root.version]);
  });

  it('lists every covered type in the README', () => {
    const doc = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const type of coveredTypes())
      expect([type, doc.includes(`\`${type}\``)]).toEqual([type, true]);
  });
});

describe('remediation paths', () => {
  it('parses the paths findings name', () => {
    expect(parsePath('spec.rules[0]["a.b/c"].x')).toEqual([
      'spec',
      'rules',
      0,
      'a.b/c',
      'x',
    ]);
  });

  it('sets a value, but never through an unknown one', () => {
    const props: Record<string, unknown> = {
      a: [{ b: false }],
      c: '04da6b54-80e4-46f7-96ec-b56ff0331ba9',
    };
    expect(setAtPath(props, 'a[0].b', true)).toBe(true);
    expect(props.a).toEqual([{ b: true }]);
    expect(setAtPath(props, 'c', 'x')).toBe(false);
    expect(setAtPath(props, 'c.d', 'x')).toBe(false);
  });
});
