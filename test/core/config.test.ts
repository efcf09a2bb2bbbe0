import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildConfig,
  defaultConfig,
  loadConfigFile,
  loadConfigText,
} from '../../core/config';
import { createEngine } from '../../core/engine';
import { ModelgateError } from '../../core/errors';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

function errorOf(fn: () => unknown): ModelgateError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ModelgateError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('config', () => {
  describe('when nothing is configured', () => {
    it('is strict: enforce everywhere and fail closed', () => {
      const c = defaultConfig();
      expect(c.defaultMode).toBe('enforce');
      expect(c.failurePolicy).toBe('closed');
      expect(c.trust.keys).toEqual([]);
      expect(c.trust.authorities[0]?.images).toEqual(['**']);
    });

    it('is frozen', () => {
      const c = defaultConfig();
      expect(Object.isFrozen(c)).toBe(true);
      expect(Object.isFrozen(c.modelDetection.images)).toBe(true);
    });
  });

  describe('when the document is valid', () => {
    it('resolves keys, authorities and exemptions', () => {
      const c = buildConfig({
        trust: {
          keys: [{ name: 'release', publicKey: pem }],
          authorities: [{ name: 'ml', images: ['registry.example.com/**'] }],
        },
        exemptions: [
          {
            name: 'legacy',
            justification: 'vendor image until Q2 migration',
            approver: 'ciso@example.com',
            expires: '2027-01-31',
            namespaces: ['inference'],
          },
        ],
      });
      expect(c.trust.authorities[0]?.keys).toEqual(['release']);
      expect(c.exemptions[0]?.expiresAt).toBe(Date.parse('2027-01-31'));
    });

    it('trusts only its identities when an authority names no keys', () => {
      const c = buildConfig({
        trust: {
          keys: [{ name: 'dev', publicKey: pem }],
          authorities: [
            {
              name: 'prod',
              images: ['**'],
              identities: [{ issuer: 'https://issuer.example', subject: 'ci' }],
            },
          ],
        },
      });
      expect(c.trust.authorities[0]?.keys).toEqual([]);
    });

    it('reads a key file relative to the config file', () => {
      const dir = mkdtempSync(join(tmpdir(), 'mg-config-'));
      writeFileSync(join(dir, 'release.pub'), pem);
      writeFileSync(
        join(dir, 'config.yaml'),
        'trust:\n  keys:\n    - name: release\n      publicKeyFile: release.pub\n',
      );
      const c = loadConfigFile(join(dir, 'config.yaml'));
      expect(c.trust.keys[0]?.publicKey).toBe(pem);
    });

    it('reads registry secrets from the environment', () => {
      const c = buildConfig(
        {
          registries: [
            { host: 'r.example.com', username: 'u', passwordEnv: 'P' },
          ],
        },
        { env: { P: 'secret' } },
      );
      expect(c.registries[0]?.password).toBe('secret');
    });
  });

  describe('when the document is invalid', () => {
    it.each([
      ['a list', '- a', 'expected a mapping at the top level'],
      ['an unknown field', 'defaultMod: warn', 'unknown field "defaultMod"'],
      ['an unknown mode', 'defaultMode: block', 'defaultMode: must be one of'],
      ['a bad rule id', 'rules: {PROV: warn}', 'rules'],
      [
        'a broken key',
        'trust: {keys: [{name: k, publicKey: nope}]}',
        'trust.keys[0].publicKey',
      ],
      [
        'an authority naming no known key',
        'trust: {authorities: [{name: a, images: ["**"], keys: [x]}]}',
        'trust.authorities[0].keys: no key named "x"',
      ],
      [
        'an exemption without a date',
        'exemptions: [{name: e, justification: because of reasons, approver: me, expires: someday-ok, namespaces: [a]}]',
        'exemptions[0].expires',
      ],
      [
        'an exemption for every namespace',
        'exemptions: [{name: e, justification: because of reasons, approver: me, expires: 2027-01-01}]',
        "exemptions[0]: must have required property 'namespaces'",
      ],
      [
        'an exemption without an approver',
        'exemptions: [{name: e, justification: because of reasons, expires: 2027-01-01, namespaces: [a]}]',
        "exemptions[0]: must have required property 'approver'",
      ],
      [
        'a missing env secret',
        'registries: [{host: r.io, passwordEnv: NOPE_X}]',
        'NOPE_X',
      ],
      ['broken YAML', 'rules: [', 'not valid YAML'],
    ])('rejects %s and names the field', (_what, text, field) => {
      const err = errorOf(() => loadConfigText(text, { env: {} }));
      expect(err.code).toBe('CONFIG_INVALID');
      expect(err.message).toContain(field);
    });

    it.each([
      [
        { rules: { 'MG-RAT': 'warn' } },
        'rules: no rule or family named "MG-RAT"',
      ],
      [
        { namespaces: { ml: { modes: { 'MG-PROV-999': 'off' } } } },
        'namespaces.ml.modes: no rule or family named "MG-PROV-999"',
      ],
    ])(
      'rejects a rule the policy does not have, at engine start',
      async (doc, field) => {
        await expect(
          createEngine({ config: buildConfig(doc) }),
        ).rejects.toThrow(field);
      },
    );

    it('reports an unreadable file as CONFIG_UNREADABLE', () => {
      const err = errorOf(() => loadConfigFile('/nonexistent/modelgate.yaml'));
      expect(err.code).toBe('CONFIG_UNREADABLE');
    });
  });
});
