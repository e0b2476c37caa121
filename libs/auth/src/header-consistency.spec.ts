import { headerMismatch, seatCountDiscrepancy } from './header-consistency';

const headers = {
  'x-gitlab-realm': 'self-managed',
  'x-gitlab-instance-id': 'inst-1',
  'x-gitlab-global-user-id': 'user-1',
};
const claims = {
  gitlab_realm: 'self-managed',
  gitlab_instance_id: 'inst-1',
  sub: 'inst-1',
  iss: 'https://gitlab.example.com',
};

describe(headerMismatch.name, () => {
  it('passes claims that agree with their headers, and skips empty claims', () => {
    expect(headerMismatch(claims, headers, 'gitlab-ai-gateway')).toBeUndefined();
    expect(
      headerMismatch({ gitlab_realm: '', gitlab_instance_id: null, iss: 'x' }, {}, 'gitlab-ai-gateway'),
    ).toBeUndefined();
  });

  it('reports the first disagreement in the order of http-api.md §1.2 step 8', () => {
    const wrong = { 'x-gitlab-realm': 'saas', 'x-gitlab-instance-id': 'inst-2', 'x-gitlab-global-user-id': 'user-2' };
    expect(headerMismatch(claims, wrong, 'gitlab-ai-gateway')).toBe("Header mismatch 'X-Gitlab-Realm'");
    expect(headerMismatch(claims, { ...wrong, 'x-gitlab-realm': 'self-managed' }, 'gitlab-ai-gateway')).toBe(
      "Header mismatch 'X-Gitlab-Instance-Id'",
    );
  });

  it('compares sub with the global user id only for tokens the service issued', () => {
    const own = { sub: 'user-1', iss: 'gitlab-ai-gateway' };
    expect(headerMismatch(own, headers, 'gitlab-ai-gateway')).toBeUndefined();
    expect(headerMismatch(own, headers, 'gitlab-duo-workflow-service')).toBe("Header mismatch 'X-Gitlab-Instance-Id'");
    expect(headerMismatch(own, { ...headers, 'x-gitlab-global-user-id': 'user-2' }, 'gitlab-ai-gateway')).toBe(
      "Header mismatch 'X-Gitlab-Global-User-Id'",
    );
  });
});

describe(seatCountDiscrepancy.name, () => {
  it('says what is wrong with X-Gitlab-Duo-Seat-Count, comparing as text', () => {
    expect(seatCountDiscrepancy({ duo_seat_count: '5' }, {})).toBe("Header is missing: 'X-Gitlab-Duo-Seat-Count'");
    expect(seatCountDiscrepancy({ duo_seat_count: '5' }, { 'x-gitlab-duo-seat-count': '7' })).toBe(
      "Header mismatch 'X-Gitlab-Duo-Seat-Count'",
    );
    expect(seatCountDiscrepancy({ duo_seat_count: 5 }, { 'x-gitlab-duo-seat-count': '5' })).toBeUndefined();
    expect(seatCountDiscrepancy({ duo_seat_count: '' }, {})).toBeUndefined();
  });
});
