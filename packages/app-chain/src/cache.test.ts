import type { ResolvedCredentials } from '@credkit/env-selector';
import { describe, expect, it } from 'vitest';
import { cached, DEFAULT_REFRESH_WINDOW_MS } from './cache.js';
import type { AppChainWarning } from './options.js';

/** A resolver that hands out numbered credentials expiring `ttlMs` after the fake clock's now. */
function resolver(clock: { t: number }, ttlMs?: number) {
  const state = { calls: 0, fail: false };
  const resolve = async (): Promise<ResolvedCredentials> => {
    state.calls++;
    await new Promise((r) => setTimeout(r, 5));
    if (state.fail) throw Object.assign(new Error('boom'), { code: 'STS_UNAVAILABLE' });
    return {
      accessKeyId: `AKIA${state.calls}`,
      secretAccessKey: 's',
      ...(ttlMs !== undefined && { expiration: new Date(clock.t + ttlMs) }),
    };
  };
  return { state, resolve };
}

describe('cached', () => {
  it('shares one resolution between concurrent callers and reuses credentials without expiration', async () => {
    const clock = { t: 0 };
    const r = resolver(clock);
    const p = cached(r.resolve, { now: () => clock.t, warn: () => {} });
    const all = await Promise.all([p(), p(), p()]);
    expect(r.state.calls).toBe(1);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['AKIA1']));
    clock.t += 10 * 3600_000;
    expect((await p()).accessKeyId).toBe('AKIA1');
  });

  it(`refreshes within the window before expiry (default ${DEFAULT_REFRESH_WINDOW_MS / 60_000} minutes)`, async () => {
    const clock = { t: 1_000_000 };
    const r = resolver(clock, 3600_000);
    const p = cached(r.resolve, { now: () => clock.t, warn: () => {} });
    expect((await p()).accessKeyId).toBe('AKIA1');
    clock.t += 3600_000 - DEFAULT_REFRESH_WINDOW_MS - 1_000;
    expect((await p()).accessKeyId).toBe('AKIA1');
    clock.t += 2_000;
    expect((await p()).accessKeyId).toBe('AKIA2');
  });

  it('takes a custom refresh window', async () => {
    const clock = { t: 0 };
    const r = resolver(clock, 60_000);
    const p = cached(r.resolve, { now: () => clock.t, refreshWindowMs: 10_000, warn: () => {} });
    await p();
    clock.t += 45_000;
    expect((await p()).accessKeyId).toBe('AKIA1');
    clock.t += 6_000;
    expect((await p()).accessKeyId).toBe('AKIA2');
  });

  it('forceRefresh bypasses the cache', async () => {
    const clock = { t: 0 };
    const r = resolver(clock);
    const p = cached(r.resolve, { now: () => clock.t, warn: () => {} });
    await p();
    expect((await p({ forceRefresh: true })).accessKeyId).toBe('AKIA2');
  });

  it('keeps still-valid credentials when a refresh fails, with a warning; throws once they expired', async () => {
    const clock = { t: 0 };
    const r = resolver(clock, 3600_000);
    const warnings: AppChainWarning[] = [];
    const p = cached(r.resolve, { now: () => clock.t, warn: (w) => warnings.push(w) });
    await p();
    r.state.fail = true;
    clock.t += 3600_000 - 60_000;
    expect((await p()).accessKeyId).toBe('AKIA1');
    expect(warnings[0]).toMatchObject({ code: 'REFRESH_FAILED' });
    expect(warnings[0]?.message).toContain('STS_UNAVAILABLE');
    expect((await p({ forceRefresh: true })).accessKeyId).toBe('AKIA1');
    clock.t += 120_000;
    await expect(p()).rejects.toThrow('boom');
  });

  it('does not cache failures', async () => {
    const clock = { t: 0 };
    const r = resolver(clock);
    r.state.fail = true;
    const p = cached(r.resolve, { now: () => clock.t, warn: () => {} });
    await expect(p()).rejects.toThrow();
    r.state.fail = false;
    expect((await p()).accessKeyId).toBe('AKIA2');
  });
});
