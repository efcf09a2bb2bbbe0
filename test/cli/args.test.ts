import { UsageError, parseArgs, type FlagSpec } from '../../cli/args';

const SPECS: readonly FlagSpec[] = [
  { name: 'config', takesValue: true },
  { name: 'output', takesValue: true, values: ['text', 'json'] },
  { name: 'offline', takesValue: false },
  { name: 'help', takesValue: false, short: 'h' },
];

describe('parseArgs', () => {
  describe('when the arguments are well formed', () => {
    it.each([
      [['--config', 'c.yaml', 'a'], { config: 'c.yaml' }, ['a']],
      [['--config=c.yaml', 'a'], { config: 'c.yaml' }, ['a']],
      [['--offline', '-', 'b'], { offline: true }, ['-', 'b']],
      [['-h'], { help: true }, []],
      [
        ['--output', 'json', '--', '--offline'],
        { output: 'json' },
        ['--offline'],
      ],
    ])('reads %j', (argv, flags, positionals) => {
      expect(parseArgs(argv, SPECS)).toEqual({ flags, positionals });
    });
  });

  describe('when an argument is wrong', () => {
    it.each([
      [['--bogus'], 'unknown flag --bogus'],
      [['-x'], 'unknown flag -x'],
      [['--config'], '--config needs a value'],
      [['--config', '--offline'], '--config needs a value'],
      [['--config='], '--config needs a value'],
      [['--offline=yes'], '--offline takes no value'],
      [['--output', 'xml'], '--output must be one of text, json, got "xml"'],
      [['--offline', '--offline'], '--offline is given more than once'],
    ])('rejects %j with a usage error', (argv, message) => {
      const parse = () => parseArgs(argv, SPECS);
      expect(parse).toThrow(UsageError);
      expect(parse).toThrow(message);
    });
  });
});
