/**
 * What the CLI does when the engine cannot judge: the decision is
 * decideOnFault's, the same one the webhook makes.
 */
import { createEngine } from '../../core/engine';
import { ModelgateError } from '../../core/errors';
import { verifierFromConfig } from '../../core/facts';
import { FAULT_RULE } from '../../cli/report';
import {
  CONFIG_MAP,
  PROV_OFF,
  fixtureDir,
  modelDeployment,
  run,
} from './support';

jest.mock('../../core/engine', () => {
  const actual = jest.requireActual('../../core/engine');
  return { ...actual, createEngine: jest.fn(actual.createEngine) };
});
jest.mock('../../core/facts', () => ({
  verifierFromConfig: jest.fn(() => ({ verify: jest.fn() })),
}));

const createEngineMock = jest.mocked(createEngine);
const realCreateEngine = jest.requireActual<{
  createEngine: typeof createEngine;
}>('../../core/engine').createEngine;

const FAULT = new ModelgateError(
  'POLICY_EVAL_FAILED',
  'policy evaluation failed: boom',
);

/** A real engine, except that judgeAll fails on the object named `name`. */
function failingOn(name: string): typeof createEngine {
  return async (options) => {
    const engine = await realCreateEngine(options);
    return {
      ...engine,
      judgeAll: async (objects) =>
        (await engine.judgeAll(objects)).map((verdict, i) =>
          (objects[i] as { metadata: { name: string } }).metadata.name === name
            ? FAULT
            : verdict,
        ),
    };
  };
}

describe('modelgate check', () => {
  const dir = fixtureDir();
  const closed = dir.write('closed.yaml', PROV_OFF);
  const open = dir.write('open.yaml', `${PROV_OFF}failurePolicy: open\n`);
  const model = dir.write('model.yaml', modelDeployment('llm'));
  const settings = dir.write('settings.yaml', CONFIG_MAP);
  afterAll(() => dir.remove());
  afterEach(() => {
    createEngineMock.mockClear();
    jest.mocked(verifierFromConfig).mockClear();
  });

  describe('when the engine cannot judge one object', () => {
    it.each([
      { policy: 'closed', config: closed, decision: 'DENY', code: 1 },
      { policy: 'open', config: open, decision: 'WARN', code: 0 },
    ])(
      'with failurePolicy $policy it reports $decision and exits $code',
      async ({ policy, config, decision, code }) => {
        createEngineMock.mockImplementationOnce(failingOn('llm'));
        const r = await run([
          'check',
          '--offline',
          '--config',
          config,
          model,
          settings,
        ]);
        expect(r.stdout).toContain(
          `${decision} Deployment ml/llm (${model}:1 doc 1)\n` +
            '  note: modelgate could not judge this object ' +
            '(POLICY_EVAL_FAILED: policy evaluation failed: boom); ' +
            `${policy === 'open' ? 'allowed' : 'denied'} because failurePolicy is ${policy}`,
        );
        expect(r.stdout).toContain('ALLOW ConfigMap ml/settings');
        expect(r.code).toBe(code);
      },
    );

    const faulted = async (output: string) => {
      createEngineMock.mockImplementationOnce(failingOn('llm'));
      const r = await run([
        'check',
        '--offline',
        '--output',
        output,
        '--config',
        closed,
        model,
      ]);
      expect(r.code).toBe(1);
      return JSON.parse(r.stdout);
    };

    it('reports the fault in json', async () => {
      const report = await faulted('json');
      expect(report.objects[0]).toMatchObject({
        decision: 'deny',
        fault: {
          code: 'POLICY_EVAL_FAILED',
          message: 'policy evaluation failed: boom',
        },
        findings: [],
      });
    });

    it('reports the fault in sarif', async () => {
      const log = await faulted('sarif');
      expect(log.runs[0].results).toEqual([
        expect.objectContaining({
          ruleId: FAULT_RULE,
          level: 'error',
          ruleIndex: 0,
        }),
      ]);
    });
  });

  describe('when the engine cannot be created', () => {
    it('judges every object by failurePolicy and says why on stderr', async () => {
      createEngineMock.mockRejectedValueOnce(
        new ModelgateError('POLICY_LOAD_FAILED', 'policy x.wasm: not found'),
      );
      const r = await run([
        'check',
        '--offline',
        '--config',
        closed,
        model,
        settings,
      ]);
      expect(r.stderr).toBe(
        'modelgate: cannot judge any object: policy x.wasm: not found\n',
      );
      expect(r.stdout).toContain('DENY Deployment ml/llm');
      expect(r.stdout).toContain('DENY ConfigMap ml/settings');
      expect(r.code).toBe(1);
    });
  });

  describe('when choosing the signature verifier', () => {
    it.each([
      { flags: ['--offline'], given: 'with --offline', used: false },
      { flags: [], given: 'without --offline', used: true },
    ])(
      '$given, the config verifier is used: $used',
      async ({ flags, used }) => {
        await run(['check', ...flags, '--config', closed, settings]);
        const { verifier } = createEngineMock.mock.calls[0]![0];
        expect(verifier !== undefined).toBe(used);
        expect(jest.mocked(verifierFromConfig)).toHaveBeenCalledTimes(
          used ? 1 : 0,
        );
      },
    );
  });
});
