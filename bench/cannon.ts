// Runs one autocannon measurement in its own process (forked by run.ts) so that the load generator
// and the login driver do not share an event loop. Input and result travel over the IPC channel.
import autocannon from 'autocannon';

export interface CannonJob {
  /** Several: the portal nodes; autocannon deals its connections out over them in turn. */
  url: string | string[];
  connections: number;
  durationS: number;
  /** One Cookie header per connection, used round-robin: each connection is one logged-in browser. */
  cookies: string[];
}

export interface CannonResult {
  reqPerS: number; p50: number; p99: number; max: number; total: number;
  non2xx: number; errors: number; timeouts: number; durationS: number;
}

process.once('message', async (job: CannonJob) => {
  let next = 0;
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationS,
    timeout: 10,
    setupClient: (client) => client.setHeaders({ cookie: job.cookies[next++ % job.cookies.length]! }),
  });
  const summary: CannonResult = {
    reqPerS: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
  };
  process.send!(summary, () => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
process.send!('ready');
