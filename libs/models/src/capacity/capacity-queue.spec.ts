import { CapacityQueue } from './capacity-queue';

describe(CapacityQueue.name, () => {
  it('hands out `limit` slots at once and the next ones first come, first served as slots come back', async () => {
    const queue = new CapacityQueue(2, 10, 10_000);
    const first = queue.tryAcquire()!;
    const second = queue.tryAcquire()!;
    expect(queue.tryAcquire()).toBeUndefined();
    const order: string[] = [];
    const third = queue.acquire().then((release) => (order.push('third'), release));
    const fourth = queue.acquire().then((release) => (order.push('fourth'), release));
    expect(queue.length).toBe(2);

    first();
    first();
    await third;
    expect(order).toEqual(['third']);
    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
    expect(queue.length).toBe(0);
    (await third)();
    expect(queue.tryAcquire()).toBeDefined();
    expect(queue.tryAcquire()).toBeDefined();
    expect(queue.tryAcquire()).toBeUndefined();
  });

  it('gives no slot ahead of a caller already waiting', async () => {
    const queue = new CapacityQueue(1, 10, 10_000);
    const release = queue.tryAcquire()!;
    const waiting = queue.acquire();
    release();
    expect(queue.tryAcquire()).toBeUndefined();
    (await waiting)();
    expect(queue.tryAcquire()).toBeDefined();
  });

  it('refuses a caller that waited past the timeout, and one that finds the queue full', async () => {
    const queue = new CapacityQueue(1, 1, 20);
    queue.tryAcquire();
    const waiting = queue.acquire();
    await expect(queue.acquire()).rejects.toBe('queue_full');
    await expect(waiting).rejects.toBe('queue_timeout');
    expect(queue.length).toBe(0);
  });

  it('refuses at once with a timeout of 0', async () => {
    const queue = new CapacityQueue(1, 10, 0);
    queue.tryAcquire();
    await expect(queue.acquire()).rejects.toBe('queue_timeout');
  });

  it('lets an aborted caller leave the queue', async () => {
    const queue = new CapacityQueue(1, 10, 10_000);
    const release = queue.tryAcquire()!;
    const controller = new AbortController();
    const waiting = queue.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBe('aborted');
    expect(queue.length).toBe(0);
    release();
    expect(queue.tryAcquire()).toBeDefined();
  });
});
