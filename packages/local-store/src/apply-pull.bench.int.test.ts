import { describe, expect, it } from 'vitest';
import { benchApplyPull } from '../bench/apply-pull.bench';

// Keeps the benchmark runnable; the figures themselves are read from `npx tsx …/apply-pull.bench.ts`.
describe('benchApplyPull', () => {
  it('applies every row and reports both baselines', async () => {
    const result = await benchApplyPull({ rows: 2_000, pageSize: 500 });
    expect(result).toMatchObject({ rows: 2_000, pageSize: 500 });
    expect(result.applyPullMs).toBeGreaterThan(0);
    expect(result.relativeSpeedBareTable).toBeGreaterThan(0);
    expect(result.relativeSpeedSameTable).toBeGreaterThan(0);
  });
});
