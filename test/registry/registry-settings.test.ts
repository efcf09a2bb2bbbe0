import { settingsFor } from '../../core/registry/settings';

describe('settingsFor', () => {
  describe('when the configured host is another spelling of the image host', () => {
    it.each([
      ['registry.corp:443', 'registry.corp'],
      ['registry.corp.', 'registry.corp'],
      ['Registry.Corp', 'registry.corp'],
      ['index.docker.io', 'docker.io'],
    ])('applies the entry for %s to %s', (host, registry) => {
      const entry = { host, insecure: true, token: 'configured' };
      expect(settingsFor([entry], registry)).toBe(entry);
    });
  });

  describe('when only the port differs', () => {
    it.each([
      ['registry.corp:80', 'registry.corp'],
      ['registry.corp', 'registry.corp:5000'],
    ])('does not apply the entry for %s to %s', (host, registry) => {
      expect(settingsFor([{ host, token: 'configured' }], registry)).toEqual({
        host: registry,
      });
    });
  });
});
