// Four suites: unit (*.spec.ts, no services), integration (*.int-spec.ts: real model, PostgreSQL, Redis),
// end-to-end (test/**/*.e2e-spec.ts: the HTTP API over real services) and browser (test/browser: the web app in
// Chromium over the same). `npm test` runs them all.
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testEnvironment: '<rootDir>/test/jest-environment.js',
};

// Suites that use PostgreSQL and Redis: the test database is checked and migrated once before them.
const services = { globalSetup: '<rootDir>/test/global-setup.ts' };

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...base, ...services, displayName: 'int', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...base, ...services, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    // The web app in Debian's Chromium (playwright-core, no browser download), against the real service.
    { ...base, ...services, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
