/**
 * The one clock type of credkit: milliseconds since the epoch, like `Date.now`. Every option that
 * injects a clock (`now`, for tests) takes a `Clock`, so one fake clock fits every package.
 */
export type Clock = () => number;
