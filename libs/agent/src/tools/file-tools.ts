import { plainTextOf } from '../session/action-result';
import { defineTool, intArg, stringArg, stringListArg, Tool, ToolContext } from './tool';
import { ToolError } from './tool-error';

const str = (value: unknown) => String(value);

async function answer(context: ToolContext, body: Parameters<ToolContext['channel']['request']>[0]): Promise<string> {
  return plainTextOf(await context.channel.request(body));
}

export const readFileTool = defineTool(
  'read_file',
  'Read the contents of a file.',
  { file_path: stringArg('Path of the file to read, relative to the project root') },
  ['file_path'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.file_path));
    return answer(context, { runReadFile: { filepath: str(args.file_path) } });
  },
);

/** `read_file` when the client has `read_file_chunked` (§6.4; offset base is disputed, §10.3). */
export const readFileChunkedTool = defineTool(
  'read_file',
  'Read a file, optionally a range of lines.',
  {
    file_path: stringArg('Path of the file to read, relative to the project root'),
    offset: intArg('First line to read, 0-indexed (default 0)'),
    limit: intArg('Number of lines to read (default 2000)'),
  },
  ['file_path'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.file_path));
    const offset = Number(args.offset ?? 0);
    const limit = Number(args.limit ?? 2000);
    return answer(context, { runReadFile: { filepath: str(args.file_path), offset, limit } });
  },
);

export const readFilesTool = defineTool(
  'read_files',
  'Read several files at once.',
  { file_paths: stringListArg('Paths of the files to read') },
  ['file_paths'],
  (args, context) => {
    const paths = Array.isArray(args.file_paths) ? args.file_paths.map(str) : [];
    paths.forEach((path) => context.exclusion.assertAllowed(path));
    return answer(context, { runReadFiles: { filepaths: paths } });
  },
);

export const listDirTool = defineTool(
  'list_dir',
  'List the entries of a directory.',
  { directory: stringArg('Directory path, relative to the project root') },
  ['directory'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.directory));
    return answer(context, { listDirectory: { directory: str(args.directory) } });
  },
);

export const findFilesTool = defineTool(
  'find_files',
  'Find files whose path matches a glob pattern.',
  { name_pattern: stringArg('Glob pattern, e.g. "*.ts" or "src/**/*.rb"') },
  ['name_pattern'],
  (args, context) => answer(context, { findFiles: { name_pattern: str(args.name_pattern) } }),
);

export const grepTool = defineTool(
  'grep',
  'Search file contents for a pattern.',
  {
    keywords: stringArg('Text or regular expression to search for'),
    search_directory: stringArg('Directory to search in (default ".")'),
    case_insensitive: { type: 'boolean', description: 'Ignore case (default true)' },
  },
  ['keywords'],
  (args, context) => {
    const directory = str(args.search_directory ?? '.');
    if (directory.split(/[\\/]/).includes('..')) throw new ToolError('Searching outside the project is not allowed');
    context.exclusion.assertAllowed(directory);
    const caseInsensitive = args.case_insensitive !== false;
    return answer(context, {
      grep: { search_directory: directory, pattern: str(args.keywords), case_insensitive: caseInsensitive },
    });
  },
);

export const createFileTool = defineTool(
  'create_file_with_contents',
  'Create a file (or overwrite it) with the given contents.',
  { file_path: stringArg('Path of the file to write'), contents: stringArg('The complete file contents') },
  ['file_path', 'contents'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.file_path));
    return answer(context, { runWriteFile: { filepath: str(args.file_path), contents: str(args.contents) } });
  },
);

export const editFileTool = defineTool(
  'edit_file',
  'Replace one occurrence of old_str with new_str in a file.',
  {
    file_path: stringArg('Path of the file to edit'),
    old_str: stringArg('Exact text to replace'),
    new_str: stringArg('Replacement text'),
  },
  ['file_path', 'old_str', 'new_str'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.file_path));
    const edit = { filepath: str(args.file_path), oldString: str(args.old_str), newString: str(args.new_str) };
    return answer(context, { runEditFile: edit });
  },
);

export const mkdirTool = defineTool(
  'mkdir',
  'Create a directory, with its parents.',
  { directory_path: stringArg('Directory to create') },
  ['directory_path'],
  (args, context) => {
    context.exclusion.assertAllowed(str(args.directory_path));
    return answer(context, { mkdir: { directory_path: str(args.directory_path) } });
  },
);

/** Runs on the server: no action needed. */
export const extractLinesTool: Tool = defineTool(
  'extract_lines_from_text',
  'Return the lines of a text between start_line and end_line (1-indexed, inclusive).',
  {
    content: stringArg('The text'),
    start_line: intArg('First line'),
    end_line: intArg('Last line (default: start_line)'),
  },
  ['content', 'start_line'],
  async (args) => {
    const lines = str(args.content).split('\n');
    const start = Math.max(1, Number(args.start_line));
    const end = Math.min(lines.length, Number(args.end_line ?? start));
    if (!Number.isInteger(start) || !Number.isInteger(end) || end < start) throw new ToolError('Invalid line range');
    return lines.slice(start - 1, end).join('\n');
  },
  { internal: true },
);
