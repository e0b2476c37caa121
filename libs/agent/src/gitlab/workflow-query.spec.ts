import { workflowQuery } from './workflow-query';

describe('workflowQuery', () => {
  it('uses the oldest query when the GitLab version is unknown', () => {
    expect(workflowQuery(undefined)).toContain('firstCheckpoint');
    expect(workflowQuery('garbage')).not.toContain('latestCheckpoint');
  });

  it('picks the newest query not above the version', () => {
    expect(workflowQuery('18.7.2')).toContain('firstCheckpoint');
    const v18 = workflowQuery('18.8.0-ee');
    expect(v18).toContain('duoContextExclusionSettings');
    expect(v18).not.toContain('compressedCheckpoint');
    expect(workflowQuery('19.1.0')).toContain('compressedCheckpoint');
  });
});
