import { FakeGitLab } from '../fakes/gitlab-executor';
import { gitIn, gitWorkdir, scriptByComponent, toolCall } from './flow-trace';

/** Markers of each foundational flow component's system prompt (libs/agent/flows/prompts). */
const COMPONENT_MARKERS = {
  planner: 'planning the implementation of a GitLab issue',
  programmer: 'implementing a planned change',
  open_merge_request: 'You open a merge request',
  diagnose: 'finding out why a GitLab pipeline failed',
  fix: 'fixing a failed pipeline from a diagnosis',
  report: 'You report the outcome of a pipeline fix',
  review: 'reviewing a merge request',
  convert: 'You convert a Jenkins pipeline',
  commit_and_push: 'You commit and push a generated',
  chat_agent: 'You are GitLab Duo, an agentic assistant',
};

const git = (id: string, command: string, args = '') =>
  toolCall(id, 'run_git_command', { repository_url: 'origin', command, args });
const final = (id: string, text: string) => toolCall(id, 'final_response_tool', { final_response: text });
const PRIVILEGES = ['read_write_files', 'read_write_gitlab', 'run_commands', 'use_git'];
const STANDARD_CONTEXT = {
  category: 'agent_platform_standard_context',
  content: JSON.stringify({ workload_branch: 'duo/work', primary_branch: 'main', session_owner_id: '7' }),
  metadata: '',
};

type Route = (body: any) => { statusCode: number; body: unknown };

/** One run of a foundational flow: GitLab, a Git work tree, the model's script and the start request. */
export interface FlowScenario {
  gitlab: FakeGitLab;
  workdir: string;
  origin: string;
  script: ReturnType<typeof scriptByComponent>;
  startRequest: Record<string, unknown>;
  /** Bodies GitLab's API received, by route. */
  received: Record<string, any[]>;
  /** The status the flow ends the call in. */
  finalStatus: 'FINISHED' | 'INPUT_REQUIRED';
}

function scenario(
  files: Record<string, string>,
  routes: Record<string, Route>,
  replies: Parameters<typeof scriptByComponent>[1],
  startRequest: Record<string, unknown>,
  finalStatus: FlowScenario['finalStatus'] = 'FINISHED',
): FlowScenario {
  const { workdir, origin } = gitWorkdir(files);
  const gitlab = new FakeGitLab();
  gitlab.node = { agentPrivilegesNames: PRIVILEGES, preApprovedAgentPrivilegesNames: [] };
  const received: Record<string, any[]> = {};
  for (const [route, reply] of Object.entries(routes)) {
    gitlab.api.set(route, (body) => ((received[route] ??= []).push(body), reply(body)));
  }
  const script = scriptByComponent(COMPONENT_MARKERS, replies);
  return {
    gitlab,
    workdir,
    origin,
    script,
    startRequest: { workflowID: '42', ...startRequest },
    received,
    finalStatus,
  };
}

export const CI = 'stages: [test]\ntest:\n  stage: test\n  script: [npm test]\n';
export const ISSUE = { iid: 7, title: 'Greeting typo', description: 'app.js prints "helo"' };

/** The foundational flows with a model scripted per component, as the e2e and production-install tests run them. */
export const FLOW_SCENARIOS: Record<string, () => FlowScenario> = {
  developer: () =>
    scenario(
      { 'app.js': 'console.log("helo");\n' },
      {
        'GET /api/v4/projects/1000/issues/7': () => ({ statusCode: 200, body: ISSUE }),
        'POST /api/v4/projects/1000/merge_requests': () => ({ statusCode: 201, body: { iid: 3 } }),
      },
      {
        planner: [
          { toolCalls: [toolCall('p1', 'read_file', { file_path: 'app.js' })] },
          { text: 'Plan: replace "helo" with "hello" in app.js.' },
        ],
        programmer: [
          { toolCalls: [git('g1', 'rev-parse', '--abbrev-ref HEAD')] },
          { toolCalls: [git('g2', 'checkout', '-b duo/issue-42')] },
          { toolCalls: [toolCall('e1', 'edit_file', { file_path: 'app.js', old_str: 'helo', new_str: 'hello' })] },
          { toolCalls: [git('g3', 'add', '-A')] },
          { toolCalls: [git('g4', 'commit', '-m "Fix the greeting"')] },
          { toolCalls: [git('g5', 'push', '-u origin duo/issue-42')] },
          { toolCalls: [final('f1', 'Branch: duo/issue-42\nBase branch: main\nFixed the greeting typo.')] },
        ],
        open_merge_request: [
          {
            toolCalls: [
              toolCall('m1', 'create_merge_request', {
                project_id: '1000',
                source_branch: 'duo/issue-42',
                target_branch: 'main',
                title: 'Fix the greeting typo',
                description: 'Fixed the greeting typo.\n\nRelates to https://gitlab.example/demo/-/issues/7',
              }),
            ],
          },
        ],
      },
      {
        goal: 'https://gitlab.example/demo/-/issues/7',
        workflowDefinition: 'developer/v1',
        additional_context: [STANDARD_CONTEXT],
      },
    ),

  fix_pipeline: () => {
    const run = scenario(
      { 'app.js': 'module.exports = () => "helo";\n' },
      {
        'GET /api/v4/projects/1000/pipelines/55/jobs?scope[]=failed&per_page=100': () => ({
          statusCode: 200,
          body: [{ id: 901, name: 'test', stage: 'test', status: 'failed', failure_reason: 'script_failure' }],
        }),
        'GET /api/v4/projects/1000/jobs/901/trace': () => ({
          statusCode: 200,
          body: 'FAIL app.test.js\nexpected "hello", got "helo"',
        }),
        'POST /api/v4/projects/1000/merge_requests/3/notes': () => ({ statusCode: 201, body: { id: 1 } }),
      },
      {
        diagnose: [
          { toolCalls: [toolCall('d1', 'get_job_logs', { project_id: '1000', job_id: 901 })] },
          { text: 'Root cause: app.js returns "helo". Fix: return "hello". Verification: npm test.' },
        ],
        fix: [
          { toolCalls: [git('g1', 'checkout', 'feature')] },
          { toolCalls: [toolCall('e1', 'edit_file', { file_path: 'app.js', old_str: 'helo', new_str: 'hello' })] },
          { toolCalls: [git('g2', 'commit', '-am "Return hello"')] },
          { toolCalls: [git('g3', 'push', 'origin feature')] },
          { text: 'Pushed "Return hello" to feature.' },
        ],
        report: [
          {
            toolCalls: [
              toolCall('r1', 'create_merge_request_note', {
                url: 'https://gitlab.example/demo/-/merge_requests/3',
                body: '## Pipeline fix by GitLab Duo\nThe greeting was misspelt; fixed on feature.',
              }),
            ],
          },
        ],
      },
      {
        goal: 'https://gitlab.example/demo/-/pipelines/55',
        flowConfigId: 'fix_pipeline',
        flowConfigSchemaVersion: 'v1',
        flowVersion: '^1.0.0',
        additional_context: [
          {
            category: 'merge_request',
            content: JSON.stringify({ url: 'https://gitlab.example/demo/-/merge_requests/3' }),
            metadata: '',
          },
          { category: 'pipeline', content: JSON.stringify({ source_branch: 'feature' }), metadata: '' },
        ],
      },
    );
    gitIn(run.workdir, 'push', '-q', 'origin', 'main:feature');
    return run;
  },

  code_review: () =>
    scenario(
      { 'app.js': 'eval(input);\n' },
      {
        'GET /api/v4/projects/1000/merge_requests/3': () => ({ statusCode: 200, body: { iid: 3, title: 'Run input' } }),
        'GET /api/v4/projects/1000/merge_requests/3/diffs': () => ({
          statusCode: 200,
          body: [{ new_path: 'app.js', diff: '+eval(input);' }],
        }),
        'POST /api/v4/projects/1000/merge_requests/3/notes': () => ({ statusCode: 201, body: {} }),
      },
      {
        review: [
          { toolCalls: [toolCall('r1', 'read_file', { file_path: 'app.js' })] },
          { text: 'Unsafe: `app.js:1` evaluates user input.' },
        ],
      },
      { goal: '3', workflowDefinition: 'code_review/v1' },
    ),

  convert_to_gl_ci: () =>
    scenario(
      { Jenkinsfile: "pipeline { stages { stage('test') { steps { sh 'npm test' } } } }\n" },
      { 'POST /api/v4/projects/1000/merge_requests': () => ({ statusCode: 201, body: { iid: 4 } }) },
      {
        convert: [
          { toolCalls: [toolCall('c1', 'create_file_with_contents', { file_path: '.gitlab-ci.yml', contents: CI })] },
          { text: 'One stage, one job; nothing left to do by hand.' },
        ],
        commit_and_push: [
          { toolCalls: [git('g1', 'checkout', '-b duo/convert-to-gitlab-ci-42')] },
          { toolCalls: [git('g2', 'add', '.gitlab-ci.yml')] },
          { toolCalls: [git('g3', 'commit', '-m "Convert Jenkins pipeline to GitLab CI/CD"')] },
          { toolCalls: [git('g4', 'push', '-u origin duo/convert-to-gitlab-ci-42')] },
          { text: 'Branch: duo/convert-to-gitlab-ci-42\nBase branch: main\nOne stage, one job.' },
        ],
        open_merge_request: [
          {
            toolCalls: [
              toolCall('m1', 'create_merge_request', {
                project_id: '1000',
                source_branch: 'duo/convert-to-gitlab-ci-42',
                target_branch: 'main',
                title: 'Convert Jenkins pipeline to GitLab CI/CD',
              }),
            ],
          },
        ],
      },
      { goal: 'Jenkinsfile', workflowDefinition: 'convert_to_gl_ci/v1', additional_context: [STANDARD_CONTEXT] },
    ),

  agentic_chat: () =>
    scenario(
      { 'app.js': 'console.log("hi");\n' },
      {},
      {
        chat_agent: [
          { toolCalls: [toolCall('r1', 'read_file', { file_path: 'app.js' })] },
          { text: 'It prints "hi".' },
        ],
      },
      { goal: 'What does app.js print?', workflowDefinition: 'agentic_chat/v1' },
      'INPUT_REQUIRED',
    ),
};
