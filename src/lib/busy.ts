// A capacity limit was reached (e.g. password hashing): the server answers 503 with Retry-After.
// In the kernel so the web layer's error handler recognises it without importing the module that
// throws it (auth's hash pool).
export class ServiceBusy extends Error {
  constructor(message: string, readonly retryAfterSeconds = 1) {
    super(message);
  }
}
