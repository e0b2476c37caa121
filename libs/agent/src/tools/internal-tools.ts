import { PlanStep, PlanStepStatus } from '../checkpoint/workflow-state';
import { defineTool, stringArg, ToolContext } from './tool';
import { ToolError } from './tool-error';

const STEP_STATUSES: PlanStepStatus[] = ['Not Started', 'In Progress', 'Completed', 'Cancelled'];

function stepOf(context: ToolContext, id: unknown): PlanStep {
  const step = context.state.plan.steps.find((candidate) => candidate.id === String(id));
  if (!step) throw new ToolError(`No task with id '${String(id)}' in the plan`);
  return step;
}

const planText = (context: ToolContext) => JSON.stringify(context.state.plan.steps);

export const addNewTaskTool = defineTool(
  'add_new_task',
  'Append a task to the plan.',
  { description: stringArg('What the task does') },
  ['description'],
  async (args, context) => {
    const steps = context.state.plan.steps;
    const id = `task-${steps.length === 0 ? 0 : Math.max(...steps.map((step) => Number(step.id.slice(5)) || 0)) + 1}`;
    steps.push({ id, description: String(args.description), status: 'Not Started' });
    return `Task ${id} added`;
  },
  { internal: true },
);

export const removeTaskTool = defineTool(
  'remove_task',
  'Remove a task from the plan.',
  { task_id: stringArg('The task id') },
  ['task_id'],
  async (args, context) => {
    const step = stepOf(context, args.task_id);
    context.state.plan.steps = context.state.plan.steps.filter((candidate) => candidate !== step);
    return `Task ${step.id} removed`;
  },
  { internal: true },
);

export const updateTaskDescriptionTool = defineTool(
  'update_task_description',
  'Change the description of a task.',
  { task_id: stringArg('The task id'), new_description: stringArg('The new description') },
  ['task_id', 'new_description'],
  async (args, context) => {
    stepOf(context, args.task_id).description = String(args.new_description);
    return `Task ${String(args.task_id)} updated`;
  },
  { internal: true },
);

export const setTaskStatusTool = defineTool(
  'set_task_status',
  'Set the status of a task.',
  { task_id: stringArg('The task id'), status: { type: 'string', enum: STEP_STATUSES } },
  ['task_id', 'status'],
  async (args, context) => {
    const status = String(args.status) as PlanStepStatus;
    if (!STEP_STATUSES.includes(status)) throw new ToolError(`Status must be one of: ${STEP_STATUSES.join(', ')}`);
    stepOf(context, args.task_id).status = status;
    return `Task ${String(args.task_id)} is now ${status}`;
  },
  { internal: true },
);

export const getPlanTool = defineTool(
  'get_plan',
  'Show the current plan.',
  {},
  [],
  async (_args, context) => planText(context),
  {
    internal: true,
  },
);

export const handoverTool = defineTool(
  'handover_tool',
  'Finish your part of the work and hand over a summary of what you found or did.',
  { summary: stringArg('The summary for the next stage or the user') },
  ['summary'],
  async (args) => String(args.summary),
  { internal: true, ends: 'handover' },
);

export const requestUserClarificationTool = defineTool(
  'request_user_clarification_tool',
  'Ask the user a question when the goal is unclear; the workflow pauses until they answer.',
  { message: stringArg('The question for the user') },
  ['message'],
  async (args) => String(args.message),
  { internal: true, ends: 'input' },
);
