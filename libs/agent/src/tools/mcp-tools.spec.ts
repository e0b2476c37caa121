import { mcpTools, sanitiseMcpToolName } from './mcp-tools';

describe('sanitiseMcpToolName', () => {
  it.each([
    ['my.tool', 'my_tool'],
    ['--weird name!--', 'weird_name'],
    ['ok-name_1', 'ok-name_1'],
    ['x'.repeat(200), 'x'.repeat(128)],
  ])('turns %s into %s', (name, expected) => {
    expect(sanitiseMcpToolName(name)).toBe(expected);
  });
});

describe('mcpTools', () => {
  it('warns about untrusted tools and falls back to {} for an invalid schema', () => {
    const [untrusted, trusted] = mcpTools([
      { name: 'a.b', description: 'A', inputSchema: 'not json' },
      { name: 'c', description: 'C', inputSchema: '{"type":"object"}', trusted: true },
    ]);
    expect(untrusted.definition).toEqual({
      name: 'a_b',
      description: expect.stringMatching(/^WARNING: this tool comes from an untrusted source.*A$/),
      parameters: {},
    });
    expect(trusted.definition).toEqual({ name: 'c', description: 'C', parameters: { type: 'object' } });
  });
});
