import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { gitIn, traceOf } from './helpers/flow-trace';
import { CI, FLOW_SCENARIOS, FlowScenario, ISSUE } from './helpers/flow-scenarios';
import { chatLog, checkpointsOf, useWorkflowHarness } from './helpers/workflow-client';

describe('DuoWorkflow registry flows: the foundational flows end to end', () => {
  const harness = useWorkflowHarness();

  async function run(flow: FlowScenario) {
    harness.workdir = flow.workdir;
    harness.model.script(flow.script.reply);
    const { stream } = harness.open(flow.gitlab);
    stream.send({ startRequest: { clientCapabilities: [], ...flow.startRequest } });
    const status = await stream.status;
    expect(status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });
    expect(checkpointsOf(stream).at(-1).status).toBe(flow.finalStatus);
    return stream;
  }

  it('developer: issue → plan → code on a new branch → merge request', async () => {
    const flow = FLOW_SCENARIOS.developer();
    const stream = await run(flow);

    expect(flow.gitlab.statusEvents).toEqual(['start', 'finish']);
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
    expect(flow.received['POST /api/v4/projects/1000/merge_requests']).toEqual([
      expect.objectContaining({ source_branch: 'duo/issue-42', target_branch: 'main' }),
    ]);
    expect(gitIn(flow.origin, 'show', 'duo/issue-42:app.js')).toBe('console.log("hello");');
    const planner = flow.script.seen.planner[0].body;
    expect(planner.messages[1].content).toBe(`Issue:\n${JSON.stringify(ISSUE)}`);
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
    const programmer = flow.script.seen.programmer[0].body.messages;
    expect(programmer[0].content).toContain('The merge request will target main');
    expect(programmer[1].content).toContain('The plan:\nPlan: replace "helo" with "hello" in app.js.');
    const creator = flow.script.seen.open_merge_request[0].body;
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
    const flow = FLOW_SCENARIOS.fix_pipeline();
    const stream = await run(flow);

    expect(flow.gitlab.statusEvents).toEqual(['start', 'finish']);
    expect(withoutCheckpoints(traceOf(stream.actions))).toEqual([
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
    expect(flow.received['POST /api/v4/projects/1000/merge_requests/3/notes']).toEqual([
      { body: '## Pipeline fix by GitLab Duo\nThe greeting was misspelt; fixed on feature.' },
    ]);
    expect(gitIn(flow.origin, 'show', 'feature:app.js')).toBe('module.exports = () => "hello";');
    expect(flow.script.seen.diagnose[0].body.messages[1].content).toContain('"id":901');
    expect(flow.script.seen.fix[0].body.messages[0].content).toContain('`checkout` with args `feature`');
    expect(flow.script.seen.report[0].body.messages[1].content).toContain('Pushed "Return hello" to feature.');
  });

  it('code_review: merge request and diffs → review → comment, without tools the session lacks', async () => {
    const flow = FLOW_SCENARIOS.code_review();
    flow.gitlab.node = { agentPrivilegesNames: ['read_only_files', 'read_write_gitlab'] };
    const stream = await run(flow);

    expect(traceOf(stream.actions)).toEqual([
      'POST graphql',
      'PATCH workflow start',
      'checkpoint RUNNING',
      'GET projects/1000/merge_requests/3',
      ...PERSISTED,
      'GET projects/1000/merge_requests/3/diffs',
      ...PERSISTED,
      ...toolStep('runReadFile app.js'),
      ...PERSISTED,
      'POST projects/1000/merge_requests/3/notes',
      ...PERSISTED,
      'checkpoint FINISHED',
      'POST workflow/checkpoints?checkpoint_strategy=full',
      'PATCH workflow finish',
    ]);
    expect(flow.received['POST /api/v4/projects/1000/merge_requests/3/notes']).toEqual([
      { body: 'Unsafe: `app.js:1` evaluates user input.' },
    ]);
    const review = flow.script.seen.review[0].body;
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
    const flow = FLOW_SCENARIOS.convert_to_gl_ci();
    const stream = await run(flow);

    expect(flow.gitlab.statusEvents).toEqual(['start', 'finish']);
    expect(withoutCheckpoints(traceOf(stream.actions))).toEqual([
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
    expect(gitIn(flow.origin, 'show', 'duo/convert-to-gitlab-ci-42:.gitlab-ci.yml')).toBe(CI.trimEnd());
    expect(flow.script.seen.convert[0].body.messages[1].content).toContain("sh 'npm test'");
    expect(readFileSync(join(flow.workdir, '.gitlab-ci.yml'), 'utf8')).toBe(CI);
  });
});

/** The checkpoint a flow publishes and stores after each step. */
const PERSISTED = ['checkpoint RUNNING', 'POST workflow/checkpoints?checkpoint_strategy=full'];

/** An agent's tool call: stored after the model turn, the action, stored after the result. */
function toolStep(action: string): string[] {
  return [...PERSISTED, action, ...PERSISTED];
}

const withoutCheckpoints = (trace: string[]) =>
  trace.filter((line) => !line.startsWith('checkpoint') && !line.includes('/checkpoints'));
