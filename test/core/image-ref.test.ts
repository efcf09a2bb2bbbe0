import { isModelgateError } from '../../core/errors';
import {
  atDigest,
  normalizeRegistryHost,
  parseImageRef,
} from '../../core/image-ref';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseImageRef', () => {
  describe('when the reference is a Docker Hub short name', () => {
    it.each([
      ['nginx', 'docker.io/library/nginx:latest'],
      ['ollama/ollama', 'docker.io/ollama/ollama:latest'],
      ['docker.io/ollama/ollama:latest', 'docker.io/ollama/ollama:latest'],
      ['index.docker.io/ollama/ollama', 'docker.io/ollama/ollama:latest'],
      [
        'registry-1.docker.io/library/nginx:1.27',
        'docker.io/library/nginx:1.27',
      ],
      ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ])('normalizes %s to %s', (raw, canonical) => {
      expect(parseImageRef(raw).canonical).toBe(canonical);
    });
  });

  describe('when the registry has a port or is localhost', () => {
    it.each([
      ['127.0.0.1:5000/ml/llm:1', '127.0.0.1:5000', 'ml/llm'],
      ['localhost:5000/llm', 'localhost:5000', 'llm'],
      ['localhost/llm', 'localhost', 'llm'],
      [
        'registry.example.com:8443/a/b/c:v1',
        'registry.example.com:8443',
        'a/b/c',
      ],
    ])('keeps the host of %s', (raw, registry, repository) => {
      const ref = parseImageRef(raw);
      expect(ref.registry).toBe(registry);
      expect(ref.repository).toBe(repository);
    });
  });

  describe('when the registry host is spelled another way', () => {
    it.each([
      ['registry.corp:443/prod/llm', 'registry.corp/prod/llm'],
      ['registry.corp./prod/llm', 'registry.corp/prod/llm'],
      ['Registry.Corp.:443/prod/llm', 'registry.corp/prod/llm'],
      ['registry.corp:0443/prod/llm', 'registry.corp/prod/llm'],
      ['registry.corp.:5000/prod/llm', 'registry.corp:5000/prod/llm'],
      ['docker.io:443/nginx', 'docker.io/library/nginx'],
      ['index.docker.io./ollama/ollama', 'docker.io/ollama/ollama'],
      ['localhost.:5000/llm', 'localhost:5000/llm'],
      ['127.1:5000/llm', '127.0.0.1:5000/llm'],
      ['[0:0::1]:443/llm', '[::1]/llm'],
    ])('normalizes the name of %s to %s', (raw, name) => {
      expect(parseImageRef(raw).name).toBe(name);
    });

    it.each([
      ['registry.corp:80/prod/llm', 'registry.corp:80'],
      ['registry.corp:8443/prod/llm', 'registry.corp:8443'],
      ['10.0.0.5:5000/prod/llm', '10.0.0.5:5000'],
    ])('keeps any other port of %s', (raw, registry) => {
      expect(parseImageRef(raw).registry).toBe(registry);
    });

    it.each([
      ['registry.corp:443', 'registry.corp'],
      ['REGISTRY.corp.', 'registry.corp'],
      ['registry.corp:80', 'registry.corp:80'],
      ['index.docker.io', 'docker.io'],
    ])('normalizes a configured host %s to %s', (host, normalized) => {
      expect(normalizeRegistryHost(host)).toBe(normalized);
    });
  });

  describe('when the reference carries a digest', () => {
    it('parses the digest and implies no tag', () => {
      const ref = parseImageRef(`nvcr.io/nvidia/tritonserver@${D}`);
      expect(ref.digest).toBe(D);
      expect(ref.tag).toBeUndefined();
      expect(ref.canonical).toBe(`nvcr.io/nvidia/tritonserver@${D}`);
    });

    it('keeps both tag and digest', () => {
      const ref = parseImageRef(`vllm/vllm-openai:v0.6.3@${D}`);
      expect(ref.tag).toBe('v0.6.3');
      expect(ref.digest).toBe(D);
    });

    it('rewrites a tagged reference to its digest', () => {
      const ref = atDigest(parseImageRef('ollama/ollama'), D);
      expect(ref.canonical).toBe(`docker.io/ollama/ollama@${D}`);
    });
  });

  describe('when the reference is malformed', () => {
    it.each([
      [''],
      ['UPPER/case'],
      ['nginx:bad tag'],
      ['nginx@sha256:short'],
      [`nginx@md5:${'a'.repeat(32)}`],
      ['a'.repeat(600)],
      ['registry.example.com/$BUCKET/model'],
      ['registry.corp:99999/model'],
      ['./model'],
    ])('rejects %j with IMAGE_REF_INVALID', (raw) => {
      expect.assertions(1);
      try {
        parseImageRef(raw);
      } catch (err) {
        expect(isModelgateError(err, 'IMAGE_REF_INVALID')).toBe(true);
      }
    });
  });
});
