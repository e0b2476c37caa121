import { Logger } from 'pino';

export interface LogEntry {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/**
 * A stand-in for the root (pino) logger that records each `logger.<level>(fields, message)` call in order; its
 * children record into the same list. For specs that assert what was logged, and at which level.
 */
export function recordingLogger(): { entries: LogEntry[]; logger: Logger } {
  const entries: LogEntry[] = [];
  const logger: Record<string, unknown> = { child: () => logger };
  for (const level of LEVELS) {
    logger[level] = (fields: Record<string, unknown>, message: string) => entries.push({ level, fields, message });
  }
  return { entries, logger: logger as unknown as Logger };
}
