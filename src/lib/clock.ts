// The clock: epoch milliseconds. Services take `now` from AppContext so tests can move time; this is
// the one place the real clock is named, so a grep for Date.now outside it finds clocks that tests
// cannot move.
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
