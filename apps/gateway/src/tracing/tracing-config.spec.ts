import { loadAppConfig } from '../config';

describe('tracing configuration', () => {
  it('is off without an OTLP endpoint', () => {
    expect(loadAppConfig({}).tracing.enabled).toBe(false);
  });

  it('reads the standard OTEL_* variables', () => {
    const { tracing } = loadAppConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_SERVICE_NAME: 'gw',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=secret',
    });
    expect(tracing).toMatchObject({
      otlpEndpoint: 'http://collector:4318',
      serviceName: 'gw',
      sampler: 'parentbased_traceidratio',
      samplerArg: 0.25,
      otlpHeaders: 'x-api-key=secret',
      enabled: true,
    });
  });

  it('stays off when the SDK or the exporter is disabled', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' };
    expect(loadAppConfig(endpoint).tracing.enabled).toBe(true);
    expect(loadAppConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
    expect(loadAppConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled).toBe(false);
  });

  it('names the bad variable and never prints the headers', () => {
    expect(() => loadAppConfig({ OTEL_TRACES_SAMPLER: 'sometimes', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER: must be one of[\s\S]*OTEL_TRACES_SAMPLER_ARG: must be a number between 0 and 1/,
    );
    expect(() => loadAppConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'secret-without-equals' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS: must be a comma-separated list of key=value \(got "\*\*\*\*"\)/,
    );
  });

  it('wants an admin token of at least 16 characters', () => {
    expect(() => loadAppConfig({ AIGW_ADMIN__TOKEN: 'short' })).toThrow(/AIGW_ADMIN__TOKEN: must be at least 16/);
    expect(loadAppConfig({ AIGW_ADMIN__TOKEN: 'x'.repeat(16) }).admin.token).toBe('x'.repeat(16));
  });
});
