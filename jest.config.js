/** Unit and integration suites; end-to-end suites need tools from scripts/tools.sh. */

// Packages published only as ES modules, which jest's CommonJS loader
// cannot read: @kubernetes/client-node and what it imports. swc rewrites
// them to CommonJS as it does our TypeScript; everything else in
// node_modules is loaded untouched.
const ESM_ONLY = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'jsonpath-plus',
  'jsep',
  '@jsep-plugin',
  'rfc4648',
  'socks-proxy-agent',
  'agent-base',
];

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest'],
    '^.+\\.m?js$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 60000,
};
