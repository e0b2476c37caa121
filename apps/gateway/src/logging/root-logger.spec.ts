import { RequestContextStore } from '@app/common';
import { LoggingConfig } from '../config';
import { createRootLogger } from './root-logger';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createRootLogger(new LoggingConfig(), { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('createRootLogger', () => {
  it('writes the JSON fields of http-api.md §5.4', () => {
    const { logger, lines } = capture();
    logger.info({ logger: 'api.access' }, 'hello');
    expect(lines[0]).toMatchObject({
      message: 'hello',
      level: 'info',
      logger: 'api.access',
      type: 'mlops',
      stage: 'main',
    });
    expect(Date.parse(lines[0].timestamp as string)).not.toBeNaN();
  });

  it('adds the correlation id of the request being served', () => {
    const { logger, lines } = capture();
    RequestContextStore.run({ correlationId: 'abc123' }, () => logger.info('inside'));
    expect(lines[0].correlation_id).toBe('abc123');
  });

  it('masks secrets wherever they appear', () => {
    const { logger, lines } = capture();
    logger.info({
      model_api_key: 'sk-1',
      headers: { authorization: 'Bearer eyJ', 'x-gitlab-oauth-token': 'glpat' },
      body: { model_metadata: { api_key: 'sk-2' } },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['sk-1', 'eyJ', 'glpat', 'sk-2']) expect(text).not.toContain(secret);
    expect(text).toContain('**********');
  });
});
