import { parse } from 'shell-quote';
import { plainTextOf } from '../session/action-result';
import { defineTool, intArg, stringArg, ToolContext } from './tool';
import { ToolError } from './tool-error';

/** Seconds, as upstream tools send it (the unit is disputed, agent-platform.md §10.2). */
const DEFAULT_TIMEOUT_S = 120;

/** Shell-style split; operators such as `|` or `>` are refused: `runCommand` runs without a shell. */
function splitArguments(text: string): string[] {
  return parse(text).map((part) => {
    if (typeof part !== 'string') throw new ToolError('Shell operators are not supported in arguments');
    return part;
  });
}

function timeoutOf(value: unknown, context: ToolContext): { timeout?: number } {
  if (!context.capabilities.has('command_timeout')) return {};
  return { timeout: Number(value ?? DEFAULT_TIMEOUT_S) };
}

async function runProgram(program: string, args: string[], timeout: unknown, context: ToolContext): Promise<string> {
  const response = await context.channel.request({
    runCommand: { program, arguments: args, flags: [], ...timeoutOf(timeout, context) },
  });
  return plainTextOf(response);
}

export const runCommandTool = defineTool(
  'run_command',
  'Run a program (no shell) in the project directory and return its output.',
  {
    program: stringArg('The program to run, e.g. "npm"'),
    args: stringArg('Arguments, shell-quoted, e.g. "test -- --watch=false"'),
    timeout: intArg(`Seconds before the command is stopped (default ${DEFAULT_TIMEOUT_S})`),
  },
  ['program'],
  (args, context) => runProgram(String(args.program), splitArguments(String(args.args ?? '')), args.timeout, context),
);

/** `run_command` when the client has `shell_command` (§6.4, §8). */
export const runShellCommandTool = defineTool(
  'run_command',
  'Run a shell command in the project directory and return its output.',
  {
    command: stringArg('The shell command line'),
    timeout: intArg(`Seconds before the command is stopped (default ${DEFAULT_TIMEOUT_S})`),
  },
  ['command'],
  async (args, context) => {
    const timeout = Number(args.timeout ?? DEFAULT_TIMEOUT_S);
    return plainTextOf(await context.channel.request({ runShellCommand: { command: String(args.command), timeout } }));
  },
);

export const runGitCommandTool = defineTool(
  'run_git_command',
  'Run a git command in the repository.',
  {
    repository_url: stringArg('URL of the repository'),
    command: stringArg('The git subcommand, e.g. "status"'),
    args: stringArg('Arguments, shell-quoted'),
  },
  ['repository_url', 'command'],
  (args, context) =>
    runProgram('git', [String(args.command), ...splitArguments(String(args.args ?? ''))], undefined, context),
);

export const runTestsTool = defineTool(
  'run_tests',
  "Run the project's tests with the given command line and return the output.",
  { command: stringArg('The test command, e.g. "npm test"') },
  ['command'],
  (args, context) => {
    const [program, ...rest] = splitArguments(String(args.command));
    if (!program) throw new ToolError('Missing test command');
    return runProgram(program, rest, undefined, context);
  },
);
