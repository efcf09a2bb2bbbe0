import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../cli/args';
import { MAX_INPUT_BYTES, readInputs } from '../../cli/input';
import { parseManifests } from '../../cli/input/parse';
import { CONFIG_MAP, fixtureDir, loadBalancer } from './support';

const kinds = (text: string) =>
  parseManifests(text, 'f.yaml').objects.map((o) => o.object.kind);

describe('parseManifests', () => {
  describe('when a file holds several YAML documents', () => {
    const text = `# licence header\n---\n${CONFIG_MAP}---\n# comment only\n---\n${loadBalancer('x')}`;

    it('reads each object with its 1-based document index and line', () => {
      const { objects, errors } = parseManifests(text, 'f.yaml');
      expect(errors).toEqual([]);
      expect(objects.map((o) => o.source)).toEqual([
        { file: 'f.yaml', document: 1, item: undefined, line: 3 },
        { file: 'f.yaml', document: 3, item: undefined, line: 10 },
      ]);
    });

    it('finds the line of a field path', () => {
      const service = parseManifests(text, 'f.yaml').objects[1]!;
      expect(service.lineOf('spec.type')).toBe(14);
      expect(service.lineOf('spec.ports[0].port')).toBe(16);
      expect(service.lineOf('spec.nothing.here')).toBe(13);
    });
  });

  describe('when a document is a JSON array, a List or a typed list', () => {
    it.each([
      [
        'a JSON array',
        '[{"apiVersion":"v1","kind":"A"},{"apiVersion":"v1","kind":"B"}]',
        ['[0]', '[1]'],
      ],
      [
        'a kind: List',
        '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"A"},{"apiVersion":"v1","kind":"B"}]}',
        ['items[0]', 'items[1]'],
      ],
      [
        'a YAML List',
        'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: A}\n- {apiVersion: v1, kind: B}\n',
        ['items[0]', 'items[1]'],
      ],
      [
        'a List inside an array',
        '[{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"A"}]},{"apiVersion":"v1","kind":"B"}]',
        ['[0]items[0]', '[1]'],
      ],
    ])('expands %s into its items', (_, text, items) => {
      const { objects, errors } = parseManifests(text, 'f.json');
      expect(errors).toEqual([]);
      expect(objects.map((o) => o.source.item)).toEqual(items);
      expect(objects.map((o) => o.object.kind)).toEqual(['A', 'B']);
    });

    it('gives items of a typed list their kind and apiVersion', () => {
      const text =
        'apiVersion: v1\nkind: ServiceList\nitems:\n- metadata: {name: s}\n';
      expect(parseManifests(text, 'f.yaml').objects[0]!.object).toMatchObject({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's' },
      });
    });
  });

  describe('when documents are empty', () => {
    it.each([
      [''],
      ['---\n---\n'],
      ['# only a comment\n'],
      ['---\n# c\n...\n'],
    ])('skips %j without an error', (text) => {
      expect(parseManifests(text, 'f.yaml')).toEqual({
        objects: [],
        errors: [],
      });
    });
  });

  describe('when a document is not a Kubernetes object', () => {
    it.each([
      ['invalid YAML', 'a: [1, 2\n', 'not valid YAML'],
      ['a scalar', 'just text\n', 'got a string'],
      [
        'a mapping without kind',
        'apiVersion: v1\nmetadata: {}\n',
        'missing kind',
      ],
      [
        'a mapping without both',
        'metadata: {}\n',
        'missing apiVersion and kind',
      ],
      [
        'a List item without kind',
        'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1}\n',
        'missing kind',
      ],
    ])('reports %s as INPUT_INVALID', (_, text, message) => {
      const { objects, errors } = parseManifests(text, 'f.yaml');
      expect(objects).toEqual([]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        code: 'INPUT_INVALID',
        source: { file: 'f.yaml', document: 1 },
      });
      expect(errors[0]!.message).toContain(message);
    });

    it('keeps reading the documents after a broken one', () => {
      const text = `${CONFIG_MAP}---\nkind: [\n---\n${CONFIG_MAP}`;
      const { objects, errors } = parseManifests(text, 'f.yaml');
      expect(objects.map((o) => o.source.document)).toEqual([1, 3]);
      expect(errors.map((e) => e.source.document)).toEqual([2]);
    });

    it('gives the line and column of a YAML syntax error', () => {
      const text = `${CONFIG_MAP}---\napiVersion: v1\nkind: A\nmetadata:\n  name: a\n   bad: indent\n`;
      const [error] = parseManifests(text, 'f.yaml').errors;
      expect(error!.source).toMatchObject({ document: 2, line: 9 });
      expect(error!.source.column).toEqual(expect.any(Number));
    });
  });

  describe('when a document expands aliases without bound', () => {
    it('reports it instead of expanding it', () => {
      const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 0; i < 12; i++) {
        const prev = String.fromCharCode(97 + i);
        const next = String.fromCharCode(98 + i);
        rows.push(
          `${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`,
        );
      }
      const { objects, errors } = parseManifests(
        `${rows.join('\n')}\n`,
        'f.yaml',
      );
      expect(objects).toEqual([]);
      expect(errors[0]).toMatchObject({ code: 'INPUT_INVALID' });
      expect(errors[0]!.message).toMatch(/alias/i);
    });
  });

  it('reads JSON with tabs as JSON', () => {
    expect(kinds('{\n\t"apiVersion": "v1",\n\t"kind": "A"\n}\n')).toEqual([
      'A',
    ]);
  });
});

describe('readInputs', () => {
  const dir = fixtureDir();
  afterAll(() => dir.remove());

  describe('when given a directory', () => {
    it('reads manifests recursively in sorted order, skipping other files', async () => {
      dir.write('tree/b.yaml', CONFIG_MAP);
      dir.write('tree/a/z.yml', CONFIG_MAP);
      dir.write('tree/a/y.json', '{"apiVersion":"v1","kind":"A"}');
      dir.write('tree/README.md', '# not a manifest');
      dir.write('tree/c.txt', 'kind: nope');
      const inputs = await readInputs([join(dir.root, 'tree')]);
      expect(inputs.files.map((f) => f.slice(dir.root.length + 1))).toEqual([
        'tree/a/y.json',
        'tree/a/z.yml',
        'tree/b.yaml',
      ]);
      expect(inputs.objects).toHaveLength(3);
    });

    it('reads a file reached twice once, and survives a symlink loop', async () => {
      const file = dir.write('loop/x.yaml', CONFIG_MAP);
      symlinkSync(join(dir.root, 'loop'), join(dir.root, 'loop', 'again'));
      const inputs = await readInputs([join(dir.root, 'loop'), file]);
      expect(inputs.files).toEqual([file]);
    });
  });

  describe('when a path does not exist', () => {
    it('throws a usage error naming it', async () => {
      const missing = join(dir.root, 'missing.yaml');
      await expect(readInputs([missing])).rejects.toThrow(UsageError);
      await expect(readInputs([missing])).rejects.toThrow(
        `cannot read ${missing}`,
      );
    });
  });

  describe('when a file is over the size limit', () => {
    it('reports INPUT_TOO_LARGE for that file and reads the others', async () => {
      const big = join(dir.root, 'big.yaml');
      writeFileSync(big, `# ${'x'.repeat(MAX_INPUT_BYTES)}\n`);
      const small = dir.write('small.yaml', CONFIG_MAP);
      const inputs = await readInputs([big, small]);
      expect(inputs.errors).toEqual([
        expect.objectContaining({
          code: 'INPUT_TOO_LARGE',
          source: { file: big },
        }),
      ]);
      expect(inputs.objects).toHaveLength(1);
    });
  });
});
