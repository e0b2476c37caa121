import { Check, CheckResult, CheckStatus, TroubleshootContext } from './check';

const MARKS: Record<CheckStatus, string> = { pass: '✔', warn: '⚠', fail: '✘', skip: '–' };

/**
 * Runs every check in order, printing each result as it comes; a failure does not stop the run, since later
 * checks skip on their own when what they need is missing. Resolves to the number of failures.
 */
export async function runChecks(
  checks: Check[],
  context: TroubleshootContext,
  write: (text: string) => void,
): Promise<number> {
  let failures = 0;
  let count = 0;
  for (const check of checks) {
    const results = await check(context).catch((error: unknown) => [crashed(check, error)]);
    for (const result of results) {
      write(format(result));
      count += 1;
      if (result.status === 'fail') failures += 1;
    }
  }
  write(failures === 0 ? `\nNo problem found (${count} checks).\n` : `\n${failures} of ${count} checks failed.\n`);
  return failures;
}

function format({ status, title, detail, fix }: CheckResult): string {
  if (status === 'pass') return `${MARKS.pass} ${title}${detail ? ` — ${detail}` : ''}\n`;
  if (status === 'skip') return `${MARKS.skip} ${title} — skipped: ${detail}\n`;
  const lines = [`${MARKS[status]} ${title}`, ...indent(detail ?? ''), ...indent(`Fix: ${fix}`)];
  return `${lines.join('\n')}\n`;
}

const indent = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => `    ${line}`);

function crashed(check: Check, error: unknown): CheckResult {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    status: 'fail',
    title: `${check.name} could not run`,
    detail,
    fix: 'This is a bug in the troubleshooting tool; please report it with the text above.',
  };
}
