export * from './app-config';
export * from './limits-config';
export * from './app-config.module';
export * from './env-tree';
export * from './load-config';
export * from './config-report';
