/**
 * The express app: the review route and the probes. Everything it serves
 * answers in JSON except `/metrics`, which speaks Prometheus text.
 */
import express, {
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { describeThrown } from '../core';
import { validateHandler, type ValidateContext } from './validate';

export interface Readiness {
  /** True once the policy has loaded and judged a first object. */
  readonly policyLoaded: boolean;
  /** True once shutdown began: unready, and every answer closes its connection. */
  readonly draining?: boolean;
}

export interface AppContext extends ValidateContext {
  readonly readiness: Readiness;
}

export function createAdmissionApp(context: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // While draining, no connection is kept for another review: the client
  // opens a new one, which the Service sends to a replica that stays.
  app.use((_req, res, next) => {
    if (context.readiness.draining) res.setHeader('Connection', 'close');
    next();
  });

  app.post(['/validate', '/'], validateHandler(context));
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const waitingFor = unreadyParts(context);
    res
      .status(waitingFor.length === 0 ? 200 : 503)
      .json(
        waitingFor.length === 0
          ? { status: 'ready' }
          : { status: 'not ready', waitingFor },
      );
  });
  app.get('/metrics', async (_req, res) => {
    const registry = context.metrics.registry;
    res.type(registry.contentType).send(await registry.metrics());
  });

  app.use((req, res) => {
    res.status(404).json({
      error: 'NOT_FOUND',
      message: `no route for ${req.method} ${req.path}; reviews go to POST /validate`,
    });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    context.metrics.recordError('INTERNAL');
    context.logger.error(
      { code: 'INTERNAL', reason: describeThrown(err) },
      'admission request failed',
    );
    if (res.headersSent) return;
    res.status(500).json({ error: 'INTERNAL', message: 'internal error' });
  });
  return app;
}

function unreadyParts(context: AppContext): string[] {
  const parts: string[] = [];
  if (!context.readiness.policyLoaded) parts.push('policy');
  if (context.readiness.draining) parts.push('shutdown');
  if (!context.lookup.synced()) parts.push('cluster lookup');
  return parts;
}
