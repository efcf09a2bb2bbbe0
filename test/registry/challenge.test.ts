import { parseChallenges, pickChallenge } from '../../core/registry';
import { realmProblem } from '../../core/registry/realm';

describe('parseChallenges', () => {
  describe('when the registry sends one bearer challenge', () => {
    it('reads realm, service and scope', () => {
      const header =
        'Bearer realm="https://auth.example/token",service="registry.example",' +
        'scope="repository:ml/model:pull"';
      expect(parseChallenges(header)).toEqual([
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.example/token',
            service: 'registry.example',
            scope: 'repository:ml/model:pull',
          },
        },
      ]);
    });
  });

  describe('when the header is unusual', () => {
    it.each([
      ['a basic challenge', 'Basic realm="x"', [['basic', { realm: 'x' }]]],
      [
        'two challenges in one header',
        'Basic realm="a", Bearer realm="b",service=s',
        [
          ['basic', { realm: 'a' }],
          ['bearer', { realm: 'b', service: 's' }],
        ],
      ],
      [
        'two header lines',
        ['Basic realm="a"', 'Bearer realm="b"'],
        [
          ['basic', { realm: 'a' }],
          ['bearer', { realm: 'b' }],
        ],
      ],
      [
        'escaped quotes and commas in a value',
        'Bearer realm="a\\"b,c", error="insufficient_scope"',
        [['bearer', { realm: 'a"b,c', error: 'insufficient_scope' }]],
      ],
      ['an empty header', '', []],
      ['no header', undefined, []],
      ['garbage', '=== ,,, "', []],
    ])('reads %s', (_label, header, expected) => {
      const parsed = parseChallenges(header).map((c) => [c.scheme, c.params]);
      expect(parsed).toEqual(expected);
    });
  });
});

describe('pickChallenge', () => {
  it.each([
    ['bearer over basic', 'Basic realm="a", Bearer realm="b"', 'bearer'],
    ['basic alone', 'Basic realm="a"', 'basic'],
    ['nothing for an unknown scheme', 'Negotiate abc', undefined],
  ])('picks %s', (_label, header, scheme) => {
    expect(pickChallenge(parseChallenges(header))?.scheme).toBe(scheme);
  });
});

describe('realmProblem', () => {
  it.each([
    ['https://auth.example/token', 'registry.example', false, 'allowed'],
    ['http://auth.example/token', 'registry.example', false, 'not https'],
    ['http://auth.example/token', 'registry.example', true, 'allowed'],
    ['https://169.254.169.254/x', 'registry.example', false, 'link-local'],
    ['https://[fe80::1]/x', 'registry.example', false, 'link-local'],
    ['https://10.0.0.5/token', 'registry.example', false, 'private'],
    ['https://127.0.0.1:9000/t', 'registry.example', false, 'private'],
    ['https://[::1]:9000/t', 'registry.example', false, 'private'],
    ['http://127.0.0.1:9000/t', '127.0.0.1:5000', true, 'allowed'],
    ['https://10.0.0.5:8443/t', '10.0.0.5:5000', false, 'allowed'],
    ['https://10.0.0.6/t', '10.0.0.5:5000', false, 'allowed'],
    ['https://169.254.169.254/', '10.0.0.5:5000', false, 'link-local'],
  ])('realm %s for %s (insecure %s): %s', (realm, host, insecure, want) => {
    const problem = realmProblem(new URL(realm), host, insecure);
    if (want === 'allowed') expect(problem).toBeUndefined();
    else expect(problem).toContain(want);
  });
});
