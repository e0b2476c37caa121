import { toolAccessOf } from './tool-access-policy';

describe('toolAccessOf', () => {
  it('keeps the client pre-approvals without a claim', () => {
    expect(toolAccessOf(undefined, ['read_file'])).toEqual({ preapproved: ['read_file'], deny: new Set() });
  });

  it('replaces the client pre-approvals with allow and removes denied tools', () => {
    const claim = JSON.stringify({ allow: ['grep'], deny: ['run_command'] });
    expect(toolAccessOf(claim, ['read_file'])).toEqual({ preapproved: ['grep'], deny: new Set(['run_command']) });
  });

  it('clears pre-approvals when only deny is set', () => {
    expect(toolAccessOf({ allow: [], deny: ['x'] }, ['read_file']).preapproved).toEqual([]);
  });

  it('fails closed on an unparsable claim', () => {
    expect(toolAccessOf('{not json', ['read_file'])).toEqual({ preapproved: [], deny: new Set() });
  });
});
