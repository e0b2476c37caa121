import { RouteTable } from './route-table';

describe(RouteTable.name, () => {
  const routes = new RouteTable();
  routes.add(['GET', 'HEAD'], '/openapi.json');
  routes.add('POST', '/v1/chat/:chat_invokable');
  routes.add('POST', '/v1/prompts/*');

  it('knows a path served under another method', () => {
    expect(routes.hasOtherMethod('DELETE', '/openapi.json')).toBe(true);
    expect(routes.hasOtherMethod('GET', '/v1/chat/explain_code')).toBe(true);
    expect(routes.hasOtherMethod('GET', '/v1/prompts/chat/explain_code')).toBe(true);
  });

  it('does not count the method itself, HEAD, or other paths', () => {
    expect(routes.hasOtherMethod('POST', '/v1/chat/explain_code')).toBe(false);
    expect(routes.hasOtherMethod('GET', '/v1/chat')).toBe(false);
    expect(routes.hasOtherMethod('GET', '/nothing')).toBe(false);
  });
});
