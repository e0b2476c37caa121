import { FlowConfigError, parseStatePath, readStatePath, variableName } from './state-path';

describe('state paths of flow inputs', () => {
  const view = { status: 'Execution', context: { goal: 'g', a: { b: 2 } }, conversation_history: {} };

  it.each([
    ['context:goal', 'goal', 'g'],
    ['context:a.b', 'b', 2],
    ['status', 'status', 'Execution'],
  ])('reads %s as the variable %s', (source, name, value) => {
    const path = parseStatePath(source, 'inputs.0');
    expect(variableName(path)).toBe(name);
    expect(readStatePath(view, path)).toBe(value);
  });

  it('reads aliases, literals and optional inputs', () => {
    expect(variableName(parseStatePath({ from: 'context:goal', as: 'url' }, 'i'))).toBe('url');
    expect(readStatePath(view, parseStatePath({ from: 'fetch', as: 'command', literal: true }, 'i'))).toBe('fetch');
    expect(readStatePath(view, parseStatePath({ from: 'context:a.missing', optional: true }, 'i'))).toBeUndefined();
    expect(() => readStatePath(view, parseStatePath('context:a.missing', 'i'))).toThrow(
      "The flow state has no value at 'context:a.missing'",
    );
  });

  it.each([
    ['goal', 'Invalid target: goal allowed targets are'],
    ['status:x', 'status does not support subkeys'],
    [{ from: 'x', literal: true }, "Field 'as' is required when using 'literal: true'"],
  ])('refuses %j', (spec, message) => {
    expect(() => parseStatePath(spec, 'inputs.0')).toThrow(FlowConfigError);
    expect(() => parseStatePath(spec, 'inputs.0')).toThrow(message);
  });

  it('never reads inherited properties of the state', () => {
    expect(() => readStatePath(view, parseStatePath('context:constructor', 'i'))).toThrow(
      "no value at 'context:constructor'",
    );
  });
});
