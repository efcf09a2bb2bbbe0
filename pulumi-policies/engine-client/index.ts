/**
 * The engine's side of the analyzer protocol, for tests and benchmarks.
 *
 * @example
 * const pack = await startAnalyzer('pulumi-policies');
 * await pack.configure({ 'modelgate-provenance': { level: 'mandatory' } });
 * const { diagnostics } = await pack.analyze(resource);
 * await pack.close();
 */
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import type * as plugin from '@pulumi/pulumi/proto/plugin_pb';
import {
  analyzeRequest,
  analyzeResult,
  call,
  empty,
  remediationResult,
  stackResource,
  startPack,
  struct,
  type AnalyzeResult,
  type Level,
  type PackProcess,
  type RemediationResult,
  type TestResource,
} from './client';

export type {
  AnalyzeResult,
  Diagnostic,
  Level,
  RemediationResult,
  TestResource,
} from './client';
export { UNKNOWN, toWire, fromWire } from './wire';

const LEVEL_CODES: Record<Level, number> = {
  advisory: 0,
  mandatory: 1,
  disabled: 2,
  remediate: 3,
};

export interface PolicySettings {
  readonly level?: Level;
  /** The policy's config: the modelgate document and the pack's settings. */
  readonly config?: Record<string, unknown>;
}

export interface Analyzer extends PackProcess {
  pluginInfo(): Promise<{ version: string }>;
  analyzerInfo(): Promise<pb.AnalyzerInfo.AsObject>;
  configure(policies: Record<string, PolicySettings>): Promise<void>;
  analyze(resource: TestResource): Promise<AnalyzeResult>;
  analyzeStack(resources: readonly TestResource[]): Promise<AnalyzeResult>;
  remediate(resource: TestResource): Promise<RemediationResult[]>;
}

export async function startAnalyzer(
  packDir: string,
  env?: NodeJS.ProcessEnv,
): Promise<Analyzer> {
  const pack = await startPack(packDir, env);
  const c = pack.client;
  return {
    ...pack,
    pluginInfo: async () => {
      const info = await call<never, plugin.PluginInfo>(
        c,
        c.getPluginInfo,
        empty(),
      );
      return { version: info.getVersion() };
    },
    analyzerInfo: async () =>
      (
        await call<never, pb.AnalyzerInfo>(c, c.getAnalyzerInfo, empty())
      ).toObject(),
    configure: async (policies) => {
      const req = new pb.ConfigureAnalyzerRequest();
      const map = req.getPolicyconfigMap();
      for (const [name, s] of Object.entries(policies)) {
        const config = new pb.PolicyConfig();
        config.setEnforcementlevel(
          LEVEL_CODES[s.level ?? 'mandatory'] as never,
        );
        config.setProperties(struct(s.config ?? {}));
        map.set(name, config);
      }
      await call(c, c.configure, req);
    },
    analyze: async (resource) =>
      analyzeResult(await call(c, c.analyze, analyzeRequest(resource))),
    analyzeStack: async (resources) => {
      const req = new pb.AnalyzeStackRequest();
      req.setResourcesList(resources.map(stackResource));
      return analyzeResult(await call(c, c.analyzeStack, req));
    },
    remediate: async (resource) =>
      remediationResult(await call(c, c.remediate, analyzeRequest(resource))),
  };
}
