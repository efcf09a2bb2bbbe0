import { defaultConfig } from '../../core/config';
import { globToRegExp, modelSignals } from '../../core/engine';
import { normalize } from '../../core/normalize';

describe('globToRegExp', () => {
  describe('when segments are split by /', () => {
    it.each([
      ['**/*vllm*', 'docker.io/vllm/vllm-openai', true],
      ['**/*vllm*', 'docker.io/library/nginx', false],
      ['**/tensorflow/serving*', 'docker.io/tensorflow/serving', true],
      ['**/seldonio/*server*', 'docker.io/seldonio/mlserver', true],
      ['nvidia.com/*', 'nvidia.com/gpu', true],
      ['nvidia.com/*', 'nvidia.com/mig-1g.5gb', true],
      ['nvidia.com/*', 'nvidia.com/a/b', false],
      ['amd.com/gpu', 'amd.com/gpus', false],
      ['registry.example.com/ml/**', 'registry.example.com/ml/a/b', true],
      ['r.io/{a,b}/x', 'r.io/b/x', true],
      ['r.io/[!a]?', 'r.io/bc', true],
      ['r.io/[!a]?', 'r.io/ac', false],
      ['a.b', 'aXb', false],
    ])('%s matches %s: %s', (glob, value, expected) => {
      expect(globToRegExp(glob, '/').test(value)).toBe(expected);
    });
  });
});

describe('modelSignals', () => {
  const detect = modelSignals(defaultConfig());
  const pod = (container: object) =>
    normalize({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [container] },
    });

  describe('when an object matches the default detection globs', () => {
    it.each([
      [{ image: 'vllm/vllm-openai:v0.6' }, 'image:docker.io/vllm/vllm-openai'],
      [{ image: 'ubuntu', env: [{ name: 'VLLM_PORT' }] }, 'env:VLLM_PORT'],
      [
        { image: 'ubuntu', resources: { limits: { 'nvidia.com/gpu': 1 } } },
        'accelerator:nvidia.com/gpu',
      ],
    ])('signals %j as %s', (container, signal) => {
      expect(detect(pod(container)).modelSignals).toEqual([signal]);
    });
  });

  describe('when nothing matches', () => {
    it('gives no signal', () => {
      expect(detect(pod({ image: 'nginx' })).modelSignals).toEqual([]);
    });
  });
});
