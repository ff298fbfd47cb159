import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ServerReach, type Reach } from './offline';

describe('ServerReach', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  function watch(probe: () => Promise<boolean>) {
    const reach = new ServerReach(probe);
    const changes: Reach[] = [];
    reach.onChange(state => changes.push(state));
    return { reach, changes };
  }

  it('goes offline at once and back online only when the server answers', async () => {
    const answers = [false, true];
    const probe = vi.fn(async () => answers.shift()!);
    const { reach, changes } = watch(probe);

    reach.lost();
    expect(reach.state).toBe('offline');
    await reach.check();
    expect(reach.state).toBe('offline');
    await reach.check();

    expect(reach.state).toBe('online');
    expect(changes).toEqual(['offline', 'online']);
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('keeps probing by itself when no online event comes (a link that is up but leads nowhere)', async () => {
    let serverThere = false;
    const probe = vi.fn(async () => serverThere);
    const { reach } = watch(probe);

    reach.lost();
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 5000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(reach.state).toBe('offline');

    serverThere = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reach.state).toBe('online');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).toHaveBeenCalledTimes(4);
  });

  it('counts a doubtful network as offline only when the server does not answer', async () => {
    const answers = [true, false];
    const { reach, changes } = watch(async () => answers.shift()!);

    await reach.doubt();
    expect(reach.state).toBe('online');
    await reach.doubt();

    expect(reach.state).toBe('offline');
    expect(changes).toEqual(['offline']);
  });

  it('counts a probe that cannot reach the server as offline', async () => {
    const { reach } = watch(async () => { throw new TypeError('Failed to fetch'); });

    reach.lost();
    await reach.check();

    expect(reach.state).toBe('offline');
  });

  it('says nothing while online', async () => {
    const probe = vi.fn(async () => true);
    const { reach, changes } = watch(probe);

    await reach.check();

    expect(changes).toEqual([]);
    expect(probe).not.toHaveBeenCalled();
  });
});
