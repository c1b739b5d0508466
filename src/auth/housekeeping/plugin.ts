// The sweeper's timer in a running server: started when the app is ready, stopped (after the round
// under way) when it closes. To register once in the app: `app.register(sweeperPlugin, { db, dialect,
// intervalMs: config.sweepIntervalMs, now })`. Every node may run it; the advisory lock in
// sweeper.ts lets one sweep at a time.
import type { FastifyPluginAsync } from 'fastify';
import type { Db, Dialect } from '../../db/index.ts';
import { startSweeper, type Sweeper, type SweepTasks } from './sweeper.ts';

export interface SweeperPluginOptions { db: Db; dialect: Dialect; intervalMs: number; now: () => number; extra?: SweepTasks }

export const sweeperPlugin: FastifyPluginAsync<SweeperPluginOptions> = async (app, o) => {
  let sweeper: Sweeper | null = null;
  app.addHook('onReady', async () => {
    sweeper = startSweeper({ ...o, log: app.log });
  });
  app.addHook('onClose', async () => {
    await sweeper?.stop();
  });
};
