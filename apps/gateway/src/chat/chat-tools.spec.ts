import { Identity } from '@app/auth';
import { availableTools } from './chat-tools';

const user = (scopes: string[], gitlabVersion?: string): Identity =>
  ({ isDebug: false, scopes, gitlabVersion, enabledFeatureFlags: [], featureEnabledByNamespaceIds: [] }) as Identity;
const names = (identity: Identity) => availableTools(identity).map((tool) => tool.name);
const ALL_SCOPES = ['ask_issue', 'ask_epic', 'ask_build', 'ask_merge_request', 'documentation_search', 'ask_commit'];

describe(availableTools.name, () => {
  it('drops tools whose unit primitive is missing', () => {
    expect(names(user(['ask_issue', 'documentation_search'], '17.6.0'))).toEqual([
      'issue_reader',
      'gitlab_documentation',
    ]);
  });

  it('drops version-gated tools for older or unknown GitLab versions', () => {
    expect(names(user(ALL_SCOPES, '17.4.1'))).toEqual(['issue_reader', 'epic_reader', 'gitlab_documentation']);
    expect(names(user(ALL_SCOPES))).toEqual(['issue_reader', 'epic_reader', 'gitlab_documentation']);
    expect(names(user(ALL_SCOPES, '17.5.0-pre'))).toContain('build_reader');
  });

  it('offers commit_reader with ask_commit from GitLab 17.5.0-pre on, without a feature flag (gitlab-versions.md §1)', () => {
    expect(names(user(ALL_SCOPES, '18.0.0'))).toContain('commit_reader');
    expect(names(user(ALL_SCOPES, '17.5.0-pre'))).toContain('commit_reader');
    expect(names(user(ALL_SCOPES, '17.4.0'))).not.toContain('commit_reader');
    expect(
      names(
        user(
          ALL_SCOPES.filter((scope) => scope !== 'ask_commit'),
          '18.0.0',
        ),
      ),
    ).not.toContain('commit_reader');
  });

  it('offers every tool to bypass users', () => {
    expect(availableTools({ ...user([]), isDebug: true })).toHaveLength(6);
  });
});
