import { createApp } from '../apps/gateway/src/create-app';
describe('smoke', () => {
  it('boots', async () => {
    const gw = await createApp({ env: { AIGW_FASTAPI__API_PORT: '0', AIGW_FASTAPI__METRICS_PORT: '0', AIGW_AGENT_PLATFORM__PORT: '0', AIGW_LOGGING__LEVEL: 'warn' } });
    const res = await fetch(`http://127.0.0.1:${gw.httpPort}/`);
    expect(res.status).toBe(401);
    await gw.shutdown(1);
  });
});
