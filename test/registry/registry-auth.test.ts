import { isModelgateError, type ModelgateError } from '../../core/errors';
import {
  RegistryClient,
  startDeadline,
  type RegistrySettings,
} from '../../core/registry';
import {
  HTPASSWD_USER,
  registryToolsMissing,
  startRegistry,
  type PushedImage,
  type TestRegistry,
} from '../support/oci-registry';
import { startScriptedServer } from './loopback';
import {
  tokenServerMissing,
  startTokenServer,
  type TokenServer,
} from './token-server';

const missing = registryToolsMissing();
const withRegistry = missing ? describe.skip : describe;
const skipped = missing ? ` (skipped: ${missing})` : '';
const tokenMissing = missing ?? tokenServerMissing();
const withTokens = tokenMissing ? describe.skip : describe;
const ROBOT = { username: 'robot', password: 'robot-secret-3141' };

async function outcome(
  settings: Omit<RegistrySettings, 'host'>,
  registry: TestRegistry,
  image: PushedImage,
): Promise<string | ModelgateError> {
  const client = new RegistryClient([
    { host: registry.host, insecure: true, ...settings },
  ]);
  const where = { registry: registry.host, repository: image.repository };
  try {
    const deadline = startDeadline(3000);
    const digest = await client.resolveTag(where, image.tag, deadline);
    await client.fetchManifest(where, digest, deadline);
    return digest;
  } catch (err) {
    if (isModelgateError(err)) return err;
    throw err;
  }
}

function expectFailure(
  result: string | ModelgateError,
  message: RegExp,
  secret?: string,
): void {
  expect(typeof result).not.toBe('string');
  const err = result as ModelgateError;
  expect(err.code).toBe('REGISTRY_AUTH_FAILED');
  expect(err.message).toMatch(message);
  if (secret) expect(err.message).not.toContain(secret);
}

describe('RegistryClient authentication', () => {
  withRegistry(`with htpasswd basic auth${skipped}`, () => {
    let registry: TestRegistry;
    let image: PushedImage;
    beforeAll(async () => {
      registry = await startRegistry({ auth: { kind: 'htpasswd' } });
      image = await registry.pushRandomImage('secure/app', 'v1');
    });
    afterAll(() => registry?.stop());

    describe('when the right credentials are configured', () => {
      it('resolves and fetches', async () => {
        expect(await outcome(HTPASSWD_USER, registry, image)).toBe(
          image.digest,
        );
      });
    });

    describe.each([
      [
        'no credentials are configured',
        {},
        /requires credentials for repository secure\/app/,
      ],
      [
        'a wrong password is configured',
        { username: HTPASSWD_USER.username, password: 'wrong-pass-2718' },
        /rejected the credentials for repository secure\/app/,
      ],
    ])('when %s', (_label, settings, message) => {
      it('fails with REGISTRY_AUTH_FAILED and no secret in the message', async () => {
        const result = await outcome(settings, registry, image);
        expectFailure(result, message, 'wrong-pass-2718');
      });
    });
  });

  withTokens(
    `with bearer tokens from a token service${
      tokenMissing ? ` (skipped: ${tokenMissing})` : ''
    }`,
    () => {
      let registry: TestRegistry;
      let image: PushedImage;
      let tokens: TokenServer;
      let openTokens: TokenServer;
      beforeAll(async () => {
        tokens = await startTokenServer(ROBOT);
        openTokens = await startTokenServer({
          ...ROBOT,
          allowAnonymousPull: true,
        });
        registry = await startRegistry();
        image = await registry.pushRandomImage('secure/app', 'v1');
        // crane refuses a loopback realm, so push first, then require tokens.
        await registry.restart(tokens.auth);
      });
      afterAll(async () => {
        await registry?.stop();
        await Promise.all([tokens?.stop(), openTokens?.stop()]);
      });

      describe('when the right credentials are configured', () => {
        it('fetches one pull token and reuses it for every request', async () => {
          tokens.issued.length = 0;
          expect(await outcome(ROBOT, registry, image)).toBe(image.digest);
          expect(tokens.issued).toEqual([
            { user: 'robot', scope: 'repository:secure/app:pull' },
          ]);
        });
      });

      describe.each([
        [
          'no credentials are configured',
          {},
          /refused anonymous access for repository secure\/app/,
        ],
        [
          'a wrong password is configured',
          { username: 'robot', password: 'wrong-pass-2718' },
          /token service 127\.0\.0\.1:\d+ of registry .* refused the credentials/,
        ],
      ])('when %s', (_label, settings, message) => {
        it('fails with REGISTRY_AUTH_FAILED and no secret in the message', async () => {
          const result = await outcome(settings, registry, image);
          expectFailure(result, message, 'wrong-pass-2718');
        });
      });

      describe('when the token service allows anonymous pulls', () => {
        it('fetches an anonymous token and resolves', async () => {
          await registry.restart(openTokens.auth);
          try {
            expect(await outcome({}, registry, image)).toBe(image.digest);
            expect(openTokens.issued.map((i) => i.user)).toEqual([undefined]);
          } finally {
            await registry.restart(tokens.auth);
          }
        });
      });
    },
  );

  // docker-registry has no static-token mode, so a loopback server stands in.
  describe('with a static bearer token', () => {
    it('sends it on the first request and fails without retrying on 401', async () => {
      const seen: (string | undefined)[] = [];
      const server = await startScriptedServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="x"' }).end();
      });
      try {
        const client = new RegistryClient([
          { host: server.host, insecure: true, token: 'static-token-1618' },
        ]);
        const where = { registry: server.host, repository: 'secure/app' };
        let thrown: unknown;
        await client
          .resolveTag(where, 'v1', startDeadline(3000))
          .catch((err: unknown) => (thrown = err));
        expect(isModelgateError(thrown, 'REGISTRY_AUTH_FAILED')).toBe(true);
        expect((thrown as Error).message).not.toContain('static-token-1618');
        expect(seen).toEqual(['Bearer static-token-1618']);
      } finally {
        await server.stop();
      }
    });
  });
});
