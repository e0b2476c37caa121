import { uuidV7 } from './uuid-v7';

describe('uuidV7', () => {
  it('makes version-7 ids that sort in creation order, within one millisecond too', () => {
    const ids = [
      uuidV7(1_700_000_000_000),
      uuidV7(1_700_000_000_000),
      uuidV7(1_700_000_000_000),
      uuidV7(1_700_000_000_001),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
