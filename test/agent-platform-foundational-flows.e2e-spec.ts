import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { FakeGitLab } from './fakes/gitlab-executor';
import { gitIn, gitWorkdir, scriptByComponent, toolCall, traceOf } from './helpers/flow-trace';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

const MARKERS = {
  planner: 'planning the implementation of a GitLab issue',
  programmer: 'implementing a planned change',
  open_merge_request: 'You open a merge request',
  diagnose: 'finding out why a GitLab pipeline failed',
  fix: 'fixing a failed pipeline from a diagnosis',
  report: 'You report the outcome of a pipeline fix',
  review: 'reviewing a merge request',
  convert: 'You convert a Jenkins pipeline',
  commit_and_push: 'You commit and push a generated',
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

describe('DuoWorkflow registry flows: the foundational flows end to end', () => {
  const harness = useWorkflowHarness();

  function gitlabWith(routes: Record<string, (body: any) => { statusCode: number; body: unknown }>): FakeGitLab {
    const gitlab = new FakeGitLab();
    gitlab.node = { agentPrivilegesNames: PRIVILEGES, preApprovedAgentPrivilegesNames: [] };
    for (const [route, reply] of Object.entries(routes)) gitlab.api.set(route, reply);
    return gitlab;
  }

  async function run(gitlab: FakeGitLab, startRequest: object) {
    const { stream } = harness.open(gitlab);
    stream.send({ startRequest: { workflowID: '42', clientCapabilities: [], ...startRequest } });
    return { stream, status: await stream.status };
  }

  it('developer: issue → plan → code on a new branch → merge request', async () => {
    const repo = gitWorkdir({ 'app.js': 'console.log("helo");\n' });
    harness.workdir = repo.workdir;
    const issue = { iid: 7, title: 'Greeting typo', description: 'app.js prints "helo"' };
    const mergeRequests: any[] = [];
    const gitlab = gitlabWith({
      'GET /api/v4/projects/1000/issues/7': () => ({ statusCode: 200, body: issue }),
      'POST /api/v4/projects/1000/merge_requests': (body) => (
        mergeRequests.push(body),
        { statusCode: 201, body: { iid: 3 } }
      ),
    });
    const script = scriptByComponent(MARKERS, {
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
    });
    harness.model.script(script.reply);

    const { stream, status } = await run(gitlab, {
      goal: 'https://gitlab.example/demo/-/issues/7',
      workflowDefinition: 'developer/v1',
      additional_context: [STANDARD_CONTEXT],
    });

    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(gitlab.statusEvents).toEqual(['start', 'finish']);
    expect(traceOf(stream.actions)).toEqual([
      'POST graphql',
      'PATCH workflow start',
      'checkpoint RUNNING',
      'GET projects/1000/issues/7',
      ...PERSISTED,
      ...toolStep('runReadFile app.js'),
      ...PERSISTED,
      ...toolStep('runCommand git rev-parse --abbrev-ref HEAD'),
      ...toolStep('runCommand git checkout -b duo/issue-42'),
      ...toolStep('runEditFile app.js'),
      ...toolStep('runCommand git add -A'),
      ...toolStep('runCommand git commit -m Fix the greeting'),
      ...toolStep('runCommand git push -u origin duo/issue-42'),
      ...PERSISTED, // the final_response_tool call …
      ...PERSISTED, // … and its result
      ...PERSISTED,
      'checkpoint RUNNING',
      'POST projects/1000/merge_requests',
      ...PERSISTED,
      ...PERSISTED,
      'checkpoint FINISHED',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'PATCH workflow finish',
    ]);
    expect(mergeRequests).toEqual([expect.objectContaining({ source_branch: 'duo/issue-42', target_branch: 'main' })]);
    expect(gitIn(repo.origin, 'show', 'duo/issue-42:app.js')).toBe('console.log("hello");');
    const planner = script.seen.planner[0].body;
    expect(planner.messages[1].content).toBe(`Issue:\n${JSON.stringify(issue)}`);
    expect(planner.tools.map((tool: any) => tool.function.name)).toEqual([
      'read_file',
      'read_files',
      'list_dir',
      'find_files',
      'grep',
      'get_issue',
      'get_merge_request',
      'gitlab_api_get',
      'final_response_tool',
    ]);
    const programmer = script.seen.programmer[0].body.messages;
    expect(programmer[0].content).toContain('The merge request will target main');
    expect(programmer[1].content).toContain('The plan:\nPlan: replace "helo" with "hello" in app.js.');
    const creator = script.seen.open_merge_request[0].body;
    expect(creator.messages[0].content).toContain('- target_branch: main');
    expect(creator.messages[1].content).toContain('Branch: duo/issue-42');
    expect(creator.tools.map((tool: any) => tool.function.name)).toEqual(['create_merge_request']);
    const log = chatLog(checkpointsOf(stream).at(-1));
    expect(log[0]).toMatchObject({
      message_type: 'tool',
      content: 'Starting Flow: https://gitlab.example/demo/-/issues/7',
    });
    expect(
      log.filter((entry: any) => entry.message_type === 'agent').map((entry: any) => entry.component_name),
    ).toEqual(['planner', 'programmer']);
  });

  it('fix_pipeline: failed jobs → diagnosis → fix pushed to the pipeline branch → note on the merge request', async () => {
    const repo = gitWorkdir({ 'app.js': 'module.exports = () => "helo";\n' });
    gitIn(repo.workdir, 'push', '-q', 'origin', 'main:feature');
    harness.workdir = repo.workdir;
    const notes: any[] = [];
    const gitlab = gitlabWith({
      'GET /api/v4/projects/1000/pipelines/55/jobs?scope[]=failed&per_page=100': () => ({
        statusCode: 200,
        body: [{ id: 901, name: 'test', stage: 'test', status: 'failed', failure_reason: 'script_failure' }],
      }),
      'GET /api/v4/projects/1000/jobs/901/trace': () => ({
        statusCode: 200,
        body: 'FAIL app.test.js\nexpected "hello", got "helo"',
      }),
      'POST /api/v4/projects/1000/merge_requests/3/notes': (body) => (
        notes.push(body),
        { statusCode: 201, body: { id: 1 } }
      ),
    });
    const script = scriptByComponent(MARKERS, {
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
    });
    harness.model.script(script.reply);

    const { stream, status } = await run(gitlab, {
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
    });

    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(gitlab.statusEvents).toEqual(['start', 'finish']);
    expect(
      traceOf(stream.actions).filter((line) => !line.startsWith('checkpoint') && !line.includes('checkpoints')),
    ).toEqual([
      'POST graphql',
      'PATCH workflow start',
      'GET projects/1000/pipelines/55/jobs?scope[]=failed&per_page=100',
      'GET projects/1000/jobs/901/trace',
      'runCommand git checkout feature',
      'runEditFile app.js',
      'runCommand git commit -am Return hello',
      'runCommand git push origin feature',
      'POST projects/1000/merge_requests/3/notes',
      'PATCH workflow finish',
    ]);
    expect(notes).toEqual([{ body: '## Pipeline fix by GitLab Duo\nThe greeting was misspelt; fixed on feature.' }]);
    expect(gitIn(repo.origin, 'show', 'feature:app.js')).toBe('module.exports = () => "hello";');
    expect(script.seen.diagnose[0].body.messages[1].content).toContain('"id":901');
    expect(script.seen.fix[0].body.messages[0].content).toContain('`checkout` with args `feature`');
    expect(script.seen.report[0].body.messages[1].content).toContain('Pushed "Return hello" to feature.');
  });

  it('code_review: merge request and diffs → review → comment, without tools the session lacks', async () => {
    harness.workdir = gitWorkdir({ 'app.js': 'eval(input);\n' }).workdir;
    const notes: any[] = [];
    const gitlab = gitlabWith({
      'GET /api/v4/projects/1000/merge_requests/3': () => ({ statusCode: 200, body: { iid: 3, title: 'Run input' } }),
      'GET /api/v4/projects/1000/merge_requests/3/diffs': () => ({
        statusCode: 200,
        body: [{ new_path: 'app.js', diff: '+eval(input);' }],
      }),
      'POST /api/v4/projects/1000/merge_requests/3/notes': (body) => (notes.push(body), { statusCode: 201, body: {} }),
    });
    gitlab.node = { agentPrivilegesNames: ['read_only_files', 'read_write_gitlab'] };
    const script = scriptByComponent(MARKERS, {
      review: [
        { toolCalls: [toolCall('r1', 'read_file', { file_path: 'app.js' })] },
        { text: 'Unsafe: `app.js:1` evaluates user input.' },
      ],
    });
    harness.model.script(script.reply);

    const { stream, status } = await run(gitlab, { goal: '3', workflowDefinition: 'code_review/v1' });

    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(traceOf(stream.actions)).toEqual([
      'POST graphql',
      'PATCH workflow start',
      'checkpoint RUNNING',
      'GET projects/1000/merge_requests/3',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'GET projects/1000/merge_requests/3/diffs',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'runReadFile app.js',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'POST projects/1000/merge_requests/3/notes',
      'checkpoint RUNNING',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'checkpoint FINISHED',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'PATCH workflow finish',
    ]);
    expect(notes).toEqual([{ body: 'Unsafe: `app.js:1` evaluates user input.' }]);
    const review = script.seen.review[0].body;
    expect(review.messages[1].content).toBe(
      'Merge request:\n{"iid":3,"title":"Run input"}\n\nChanges:\n[{"new_path":"app.js","diff":"+eval(input);"}]',
    );
    // `grep` and friends come with read_only_files; `get_merge_request` with read_write_gitlab.
    expect(review.tools.map((tool: any) => tool.function.name)).toEqual([
      'read_file',
      'read_files',
      'list_dir',
      'find_files',
      'grep',
      'get_merge_request',
      'final_response_tool',
    ]);
  });

  it('convert_to_gl_ci: Jenkinsfile → .gitlab-ci.yml on a new branch → merge request', async () => {
    const repo = gitWorkdir({ Jenkinsfile: "pipeline { stages { stage('test') { steps { sh 'npm test' } } } }\n" });
    harness.workdir = repo.workdir;
    const gitlab = gitlabWith({
      'POST /api/v4/projects/1000/merge_requests': () => ({ statusCode: 201, body: { iid: 4 } }),
    });
    const ci = 'stages: [test]\ntest:\n  stage: test\n  script: [npm test]\n';
    const script = scriptByComponent(MARKERS, {
      convert: [
        { toolCalls: [toolCall('c1', 'create_file_with_contents', { file_path: '.gitlab-ci.yml', contents: ci })] },
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
    });
    harness.model.script(script.reply);

    const { stream, status } = await run(gitlab, {
      goal: 'Jenkinsfile',
      workflowDefinition: 'convert_to_gl_ci/v1',
      additional_context: [STANDARD_CONTEXT],
    });

    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(gitlab.statusEvents).toEqual(['start', 'finish']);
    expect(
      traceOf(stream.actions).filter((line) => !line.startsWith('checkpoint') && !line.includes('checkpoints')),
    ).toEqual([
      'POST graphql',
      'PATCH workflow start',
      'runReadFile Jenkinsfile',
      'runWriteFile .gitlab-ci.yml',
      'runCommand git checkout -b duo/convert-to-gitlab-ci-42',
      'runCommand git add .gitlab-ci.yml',
      'runCommand git commit -m Convert Jenkins pipeline to GitLab CI/CD',
      'runCommand git push -u origin duo/convert-to-gitlab-ci-42',
      'POST projects/1000/merge_requests',
      'PATCH workflow finish',
    ]);
    expect(gitIn(repo.origin, 'show', 'duo/convert-to-gitlab-ci-42:.gitlab-ci.yml')).toBe(ci.trimEnd());
    expect(script.seen.convert[0].body.messages[1].content).toContain("sh 'npm test'");
    expect(readFileSync(join(repo.workdir, '.gitlab-ci.yml'), 'utf8')).toBe(ci);
  });
});

/** The checkpoint a flow publishes and stores after each step. */
const PERSISTED = ['checkpoint RUNNING', 'POST workflow/checkpoints?checkpoint_strategy=full'];

/** An agent's tool call: stored after the model turn, the action, stored after the result. */
function toolStep(action: string): string[] {
  return [...PERSISTED, action, ...PERSISTED];
}
