import { join } from 'node:path';
import {
  CONFIG_MAP,
  PROV_OFF,
  fixtureDir,
  loadBalancer,
  modelDeployment,
  run,
} from './support';

describe('modelgate check', () => {
  const dir = fixtureDir();
  const config = dir.write('prov-off.yaml', PROV_OFF);
  const check = (...args: string[]) =>
    run(['check', '--offline', '--config', config, ...args]);
  afterAll(() => dir.remove());

  describe('when a LoadBalancer Service and the model it selects are in different files', () => {
    const root = join(dir.root, 'cross');
    dir.write('cross/deploy/model.yaml', modelDeployment('llm'));
    dir.write('cross/svc/front.yaml', loadBalancer('llm'));

    it('denies the Service with MG-RATE-004, reading across files', async () => {
      const r = await check(root);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `DENY Service ml/front (${join(root, 'svc/front.yaml')}:1 doc 1)\n` +
          '  [MG-RATE-004 enforce] spec.type: ',
      );
      expect(r.stdout).toContain('ALLOW Deployment ml/llm');
    });

    it('allows the same Service when the model is not in the input', async () => {
      const r = await check(join(root, 'svc'));
      expect(r.stdout).toMatch(/^ALLOW Service ml\/front/);
      expect(r.code).toBe(0);
    });

    it('reads across stdin and files too', async () => {
      const r = await run(
        ['check', '--offline', '--config', config, '-', join(root, 'deploy')],
        { stdin: loadBalancer('llm') },
      );
      expect(r.stdout).toContain('DENY Service ml/front (<stdin>:1 doc 1)');
      expect(r.code).toBe(1);
    });
  });

  describe('when files hold several objects', () => {
    it.each([
      [
        'multi-document YAML',
        'multi.yaml',
        `${CONFIG_MAP}---\n${modelDeployment('a')}---\n`,
        2,
      ],
      [
        'a JSON array',
        'array.json',
        JSON.stringify([
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } },
        ]),
        2,
      ],
      [
        'a JSON List',
        'list.json',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
          ],
        }),
        1,
      ],
    ])('reads every object in %s', async (_, name, text, count) => {
      const r = await check(dir.write(`many/${name}`, text));
      expect(r.stdout).toContain(`checked ${count} object`);
      expect(r.code).toBe(0);
    });

    it('names the List item an object came from', async () => {
      const file = dir.write(
        'items.json',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'a', namespace: 'x' },
            },
          ],
        }),
      );
      const r = await check(file);
      expect(r.stdout).toContain(
        `ALLOW ConfigMap x/a (${file}:1 doc 1 items[0])`,
      );
    });
  });

  describe('when the manifests come on stdin', () => {
    it('reads YAML documents from -', async () => {
      const r = await run(['check', '--offline', '--config', config, '-'], {
        stdin: `${CONFIG_MAP}---\n${modelDeployment()}`,
      });
      expect(r.stdout).toContain('ALLOW Deployment ml/llm (<stdin>:6 doc 2)');
      expect(r.stdout).toContain('checked 2 objects in 1 file:');
      expect(r.code).toBe(0);
    });
  });

  describe('when a file cannot be read as manifests', () => {
    it('reports each broken document, judges the rest, and exits 1', async () => {
      const file = dir.write(
        'broken.yaml',
        `${CONFIG_MAP}---\nkind: Deployment\nmetadata: {name: x}\n---\nkey: [unclosed\n`,
      );
      const r = await check(file);
      expect(r.stdout.split('\n')).toEqual([
        `ALLOW ConfigMap ml/settings (${file}:1 doc 1)`,
        '  note: not a model workload or model-data store',
        `ERROR ${file}:6 doc 2: not a Kubernetes object: missing apiVersion (INPUT_INVALID)`,
        expect.stringMatching(
          new RegExp(`^ERROR ${file}:10:1 doc 3: not valid YAML: `),
        ),
        'checked 1 object in 1 file: 0 denied, 0 warned, 1 allowed, 2 errors',
        '',
      ]);
      expect(r.code).toBe(1);
    });

    it('counts a file that is not UTF-8 YAML as an error, not as nothing', async () => {
      const r = await check(dir.write('binary.json', '\u0000\u0001{{{'));
      expect(r.stdout).toContain('1 error');
      expect(r.code).toBe(1);
    });
  });

  describe('when a directory holds no manifests', () => {
    it('says so on stderr and exits 0', async () => {
      dir.write('empty/notes.txt', 'nothing here');
      const r = await check(join(dir.root, 'empty'));
      expect(r.stderr).toBe(
        'modelgate: no *.yaml, *.yml or *.json files found\n',
      );
      expect(r.stdout).toBe(
        'checked 0 objects in 0 files: 0 denied, 0 warned, 0 allowed, 0 errors\n',
      );
      expect(r.code).toBe(0);
    });
  });

  describe('when --quiet is given', () => {
    it('lists only objects with findings, and still counts the rest', async () => {
      const r = await check('--quiet', join(dir.root, 'cross'));
      expect(r.stdout).not.toContain('ALLOW');
      expect(r.stdout).toContain('DENY Service ml/front');
      expect(r.stdout).toContain('1 denied, 0 warned, 1 allowed');
    });
  });
});
