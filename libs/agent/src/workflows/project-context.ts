import { WorkflowRecord } from '../gitlab/workflow-record';

/** What the agents are told about where they work. */
export function projectContext(record: WorkflowRecord): string {
  const lines = [`Today is ${new Date().toISOString().slice(0, 10)}.`];
  if (record.project) {
    lines.push(
      `The project is ${record.project.name ?? ''} (id ${record.projectId ?? record.project.id ?? 'unknown'}, ${record.project.webUrl ?? ''}).`,
    );
    if (record.project.description) lines.push(`Project description: ${record.project.description}`);
  } else if (record.namespace) {
    lines.push(`The group is ${record.namespace.name ?? ''} (${record.namespace.webUrl ?? ''}).`);
  }
  return lines.join('\n');
}
