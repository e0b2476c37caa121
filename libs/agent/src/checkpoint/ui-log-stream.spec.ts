import { logEntry } from './workflow-state';
import { UiLogStream } from './ui-log-stream';

const entry = (id: string, content: string) => ({ ...logEntry('agent', content, { message_id: id }), timestamp: 't' });
const ids = (json: string) => (JSON.parse(json) as Array<{ message_id: string }>).map((item) => item.message_id);

describe(UiLogStream.name, () => {
  it('sends the whole log without incremental streaming', () => {
    const stream = new UiLogStream(false);
    const log = [entry('a', '1'), entry('b', '2')];
    stream.part(log).sent();
    expect(ids(stream.part(log).json)).toEqual(['a', 'b']);
  });

  it('sends entries from the first new or changed one, counted from what the transport took', () => {
    const stream = new UiLogStream(true);
    const log = [entry('a', '1'), entry('b', '2')];
    stream.part(log).sent();
    expect(ids(stream.part(log).json)).toEqual([]);
    log[1].content = '2, more';
    log.push(entry('c', '3'));
    const replaced = stream.part(log);
    log.push(entry('d', '4'));
    expect(ids(replaced.json)).toEqual(['b', 'c']);
    // The first part never went out (a newer checkpoint replaced it): the next one still carries `b`.
    const latest = stream.part(log);
    expect(ids(latest.json)).toEqual(['b', 'c', 'd']);
    latest.sent();
    expect(ids(stream.part(log).json)).toEqual([]);
  });
});
