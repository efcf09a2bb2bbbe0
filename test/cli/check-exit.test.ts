import {
  PROV_OFF,
  bareModelDeployment,
  fixtureDir,
  modelDeployment,
  run,
} from './support';

describe('modelgate check', () => {
  const dir = fixtureDir();
  const compliant = dir.write('compliant.yaml', modelDeployment());
  const bare = dir.write('bare.yaml', bareModelDeployment());
  const provOff = dir.write('prov-off.yaml', PROV_OFF);
  afterAll(() => dir.remove());

  describe('when a config sets rule modes', () => {
    const config = (name: string, text: string) => dir.write(name, text);

    it.each([
      {
        given: 'MG-PROV off, a fully labelled model',
        text: PROV_OFF,
        file: compliant,
        decision: 'ALLOW',
        code: 0,
      },
      {
        given: 'the strict default, offline, a fully labelled model',
        text: undefined,
        file: compliant,
        decision: 'DENY',
        code: 1,
      },
      {
        given: 'defaultMode warn, a bare model',
        text: 'defaultMode: warn\n',
        file: bare,
        decision: 'WARN',
        code: 0,
      },
      {
        given: 'defaultMode audit, a bare model',
        text: 'defaultMode: audit\n',
        file: bare,
        decision: 'ALLOW',
        code: 0,
      },
      {
        given: 'MG-PROV off, a bare model',
        text: PROV_OFF,
        file: bare,
        decision: 'DENY',
        code: 1,
      },
    ])(
      'with $given: $decision, exit $code',
      async ({ text, file, decision, code }) => {
        const name = `modes-${decision}-${code}-${file.length}.yaml`;
        const flags = text ? ['--config', config(name, text)] : [];
        const r = await run(['check', '--offline', ...flags, file]);
        expect(r.stdout).toMatch(new RegExp(`^${decision} Deployment ml/`));
        expect(r.code).toBe(code);
      },
    );

    it('lists audit findings under an allowed object', async () => {
      const audit = config('audit.yaml', 'defaultMode: audit\n');
      const r = await run(['check', '--offline', '--config', audit, bare]);
      expect(r.stdout).toContain(
        '[MG-DECOM-001 audit] spec.template.metadata.labels:',
      );
    });
  });

  describe('when the config is invalid', () => {
    it.each([
      [
        'a key that is not PEM',
        'trust:\n  keys:\n    - name: x\n      publicKey: not a pem\n',
        'modelgate: config: trust.keys[0].publicKey: key "x" is not a PEM public key\n',
      ],
      [
        'an unknown mode',
        'rules: {MG-PROV: sometimes}\n',
        expect.stringMatching(/^modelgate: config: rules\.MG-PROV: .*\n$/),
      ],
      [
        'an unknown field',
        'defaultMode: warn\nbogus: 1\n',
        'modelgate: config: (top level): unknown field "bogus"\n',
      ],
    ])(
      'with %s it prints one line naming the field and exits 2',
      async (_, text, line) => {
        const file = dir.write(`bad-${text.length}.yaml`, text);
        const r = await run([
          'check',
          '--offline',
          '--config',
          file,
          compliant,
        ]);
        expect(r).toEqual({ code: 2, stdout: '', stderr: line });
      },
    );

    it('exits 2 when the config file is missing', async () => {
      const r = await run([
        'check',
        '--config',
        `${dir.root}/none.yaml`,
        compliant,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^modelgate: config .*none\.yaml: /);
      expect(r.stderr.split('\n')).toHaveLength(2);
    });
  });

  describe('when the command line is wrong', () => {
    const withFile = (argv: string[]) =>
      argv.map((a) =>
        a === 'FILE'
          ? compliant
          : a === 'MISSING'
            ? `${dir.root}/nope.yaml`
            : a,
      );

    it.each([
      [['check', '--bogus', 'FILE'], 'unknown flag --bogus'],
      [
        ['check', '--output', 'xml', 'FILE'],
        '--output must be one of text, json, sarif',
      ],
      [['check', '--config', '--offline', 'FILE'], '--config needs a value'],
      [['check'], 'name at least one file, directory, or - for stdin'],
      [['check', 'MISSING'], 'no such file or directory'],
      [['lint', 'FILE'], 'unknown command "lint"'],
      [['version', 'extra'], 'version takes no arguments'],
      [[], 'no command given'],
    ])(
      '%j exits 2 with the error and the synopsis on stderr',
      async (argv, message) => {
        const r = await run(withFile(argv));
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^modelgate: /);
        expect(r.stderr.split('\n')[0]).toContain(message);
        expect(r.stderr).toMatch(
          /\nUsage: modelgate.*\nRun 'modelgate.* --help'/,
        );
      },
    );
  });

  describe('when asked for help or the version', () => {
    it.each([
      [['--help'], 'Usage: modelgate <command>'],
      [['help', 'check'], 'Usage: modelgate check'],
      [['check', '--help'], 'Usage: modelgate check'],
      [['serve', '-h'], 'Usage: modelgate serve'],
    ])('%j prints the usage on stdout and exits 0', async (argv, head) => {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.stdout.startsWith(head)).toBe(true);
    });

    it('documents every exit code in the help', async () => {
      const { stdout } = await run(['check', '--help']);
      expect(stdout).toMatch(/^ {2}0 {2}nothing was denied/m);
      expect(stdout).toMatch(
        /^ {2}1 {2}an object was denied; or an input document could not be read/m,
      );
      expect(stdout).toMatch(/^ {2}2 {2}usage or config error/m);
    });

    it('prints the package version', async () => {
      const r = await run(['version']);
      expect(r).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    });
  });

  describe('when some objects warn and one is denied', () => {
    it('passes warnings with exit 0 but fails on the deny', async () => {
      const warnOnly = dir.write(
        'warn-decom.yaml',
        'rules: {MG-PROV: off, MG-DECOM: warn, MG-RATE: warn}\n',
      );
      const warned = await run([
        'check',
        '--offline',
        '--config',
        warnOnly,
        bare,
      ]);
      expect(warned.code).toBe(0);
      const mixed = await run([
        'check',
        '--offline',
        '--config',
        provOff,
        compliant,
        bare,
      ]);
      expect(mixed.code).toBe(1);
      expect(mixed.stdout).toContain('1 denied, 0 warned, 1 allowed');
    });
  });
});
