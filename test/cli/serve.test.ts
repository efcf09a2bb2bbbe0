import type { AdmissionModule } from '../../cli/serve';
import { ModelgateError } from '../../core/errors';
import { fixtureDir, run } from './support';

type StartOptions = Parameters<AdmissionModule['startAdmissionServer']>[0];

/** A fake admission/ that records how it was started and closed. */
function fakeAdmission(start?: () => Promise<never>) {
  const calls = { started: [] as StartOptions[], closed: 0 };
  const admission: AdmissionModule = {
    startAdmissionServer: async (options) => {
      if (start) return start();
      calls.started.push(options);
      return {
        port: options.port,
        url: `https://127.0.0.1:${options.port}`,
        drain: () => undefined,
        close: async () => {
          calls.closed++;
        },
      };
    },
  };
  return { admission, calls };
}

describe('modelgate serve', () => {
  const dir = fixtureDir();
  const config = dir.write('config.yaml', 'defaultMode: warn\n');
  afterAll(() => dir.remove());

  const serve = (argv: string[], admission: AdmissionModule) =>
    run(['serve', ...argv], {
      deps: {
        serve: {
          loadAdmission: async () => admission,
          waitForStop: async () => 'SIGTERM',
        },
      },
    });

  describe('when the flags are complete', () => {
    it('starts the server with them, closes it on a signal, and exits 0', async () => {
      const { admission, calls } = fakeAdmission();
      const r = await serve(
        [
          '--config',
          config,
          '--port',
          '9443',
          '--host',
          '127.0.0.1',
          '--tls-cert',
          'c.pem',
          '--tls-key',
          'k.pem',
        ],
        admission,
      );
      expect(calls.started).toEqual([
        expect.objectContaining({
          port: 9443,
          host: '127.0.0.1',
          tlsCertFile: 'c.pem',
          tlsKeyFile: 'k.pem',
        }),
      ]);
      expect(calls.started[0]!.config.defaultMode).toBe('warn');
      expect(calls.closed).toBe(1);
      expect(r).toEqual({
        code: 0,
        stdout: '',
        stderr:
          'modelgate: admission webhook listening on https://127.0.0.1:9443\n' +
          'modelgate: SIGTERM received, closing\n',
      });
    });

    it('defaults to port 8443 on 0.0.0.0 with the strict config', async () => {
      const { admission, calls } = fakeAdmission();
      await serve(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], admission);
      expect(calls.started[0]).toMatchObject({ port: 8443, host: '0.0.0.0' });
      expect(calls.started[0]!.config.defaultMode).toBe('enforce');
    });
  });

  describe('when the process gets SIGINT or SIGTERM', () => {
    it.each([['SIGINT'], ['SIGTERM']])(
      'closes the server on %s',
      async (signal) => {
        const { admission, calls } = fakeAdmission();
        const running = run(['serve', '--tls-cert', 'c', '--tls-key', 'k'], {
          deps: { serve: { loadAdmission: async () => admission } },
        });
        while (calls.started.length === 0)
          await new Promise((r) => setImmediate(r));
        expect(calls.closed).toBe(0);
        process.emit(signal as NodeJS.Signals, signal as NodeJS.Signals);
        const r = await running;
        expect(calls.closed).toBe(1);
        expect(r.code).toBe(0);
        expect(r.stderr).toContain(`${signal} received`);
        expect(process.listenerCount(signal)).toBe(0);
      },
    );
  });

  describe('when the flags are wrong', () => {
    it.each([
      [['--tls-key', 'k.pem'], '--tls-cert FILE is required'],
      [['--tls-cert', 'c.pem'], '--tls-key FILE is required'],
      [
        ['--port', '70000', '--tls-cert', 'c', '--tls-key', 'k'],
        '--port must be a number from 0 to 65535',
      ],
      [
        ['--port', '-1', '--tls-cert', 'c', '--tls-key', 'k'],
        '--port needs a value',
      ],
      [
        ['--tls-cert', 'c', '--tls-key', 'k', 'extra'],
        'serve takes no arguments',
      ],
      [['--offline'], 'unknown flag --offline'],
    ])('%j exits 2 without starting', async (argv, message) => {
      const { admission, calls } = fakeAdmission();
      const r = await serve(argv, admission);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('Usage: modelgate serve');
      expect(calls.started).toEqual([]);
    });
  });

  describe('when the server cannot start', () => {
    it.each([
      [
        'a TLS error',
        2,
        new ModelgateError('TLS_UNAVAILABLE', 'tls: cannot read c.pem'),
      ],
      [
        'a busy port',
        1,
        Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' }),
      ],
    ])('with %s exits %i with one line on stderr', async (_, code, err) => {
      const { admission } = fakeAdmission(() => Promise.reject(err));
      const r = await serve(
        ['--tls-cert', 'c.pem', '--tls-key', 'k.pem'],
        admission,
      );
      expect(r.code).toBe(code);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(err.message);
    });

    it('exits 2 on an invalid config before loading the server', async () => {
      const bad = dir.write('bad.yaml', 'defaultMode: sometimes\n');
      const { admission, calls } = fakeAdmission();
      const r = await serve(
        ['--config', bad, '--tls-cert', 'c', '--tls-key', 'k'],
        admission,
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^modelgate: config: defaultMode: /);
      expect(calls.started).toEqual([]);
    });
  });
});
