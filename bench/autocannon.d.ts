// The slice of autocannon 8's API the bench uses (the package ships no types).
declare module 'autocannon' {
  interface Histogram { average: number; mean: number; p50: number; p90: number; p99: number; max: number; total: number }
  export interface Result {
    duration: number; errors: number; timeouts: number; non2xx: number; mismatches: number;
    latency: Histogram; requests: Histogram;
  }
  export interface Client { setHeaders(headers: Record<string, string>): void }
  export interface Options {
    url: string | string[]; connections?: number; duration?: number; timeout?: number;
    headers?: Record<string, string>; setupClient?: (client: Client) => void;
  }
  export interface Instance extends PromiseLike<Result> { stop(): void }
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
