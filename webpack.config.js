// Bundles apps/gateway and the libs into dist/apps/gateway/main.js (and the troubleshooting CLI into
// troubleshoot.js, the documentation index builder into docs-index.js); node_modules stay external.
// `npm run build` runs it with webpack-cli.
const path = require('node:path');
const nodeExternals = require('webpack-node-externals');
const { compilerOptions } = require('./tsconfig.json');

// The libraries' aliases (`@app/*`); the app never imports `@test/*`. The provider API
// (`@gitlab-ai-gateway/provider-api`, an npm workspace) stays external like every package, so the app and the
// provider packages loaded at boot share its one copy (one `AppError` class).
const alias = Object.fromEntries(
  Object.entries(compilerOptions.paths)
    .filter(([name]) => name.startsWith('@app/'))
    .map(([name, [target]]) => [name, path.resolve(__dirname, target)]),
);

module.exports = {
  mode: 'none',
  target: 'node',
  devtool: 'source-map',
  entry: {
    main: path.resolve(__dirname, 'apps/gateway/src/main.ts'),
    troubleshoot: path.resolve(__dirname, 'apps/gateway/src/troubleshoot/troubleshoot.ts'),
    'docs-index': path.resolve(__dirname, 'apps/gateway/src/docs-search/build-docs-index.ts'),
  },
  externals: [nodeExternals()],
  externalsPresets: { node: true },
  resolve: { extensions: ['.ts', '.js'], alias },
  module: {
    rules: [
      {
        test: /\.ts$/,
        exclude: /node_modules/,
        loader: 'ts-loader',
        options: { transpileOnly: true, configFile: path.resolve(__dirname, 'apps/gateway/tsconfig.app.json') },
      },
    ],
  },
  output: { path: path.resolve(__dirname, 'dist/apps/gateway'), filename: '[name].js' },
  optimization: { nodeEnv: false, minimize: false },
  node: { __dirname: false, __filename: false },
  stats: 'errors-warnings',
};
