// The boundaries of the tree, checked by `npm run check:boundaries` (dependency-cruiser). The layering is the one
// README.md's architecture picture shows: a lib may use the libs of lower layers only, always through @app/<lib>.
const LAYERS = [
  ['config', 'taxonomy'],
  ['observability', 'embedding'],
  ['persistence'],
  ['access', 'jobs'],
  ['profiles'],
  ['vector-index', 'learning', 'credit'],
  ['matching'],
  ['leads', 'assistant'],
  ['challenges'],
  ['processors'],
];

const layering = LAYERS.flatMap((libs, i) => {
  const higher = LAYERS.slice(i + 1).flat();
  if (higher.length === 0) return [];
  return libs.map((lib) => ({
    name: `layering:${lib}`,
    comment: `${lib} is in layer ${i}; it may not use ${higher.join(', ')}`,
    severity: 'error',
    from: { path: `^libs/${lib}/` },
    to: { path: `^libs/(${higher.join('|')})/` },
  }));
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'apps-not-to-apps',
      comment: 'An app is a composition of libs; what two apps share belongs in a lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-not-to-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'libs-through-their-index',
      comment: "Another lib's files are used through @app/<lib> (its src/index.ts), never directly.",
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/' },
      to: { path: '^libs/([^/]+)/src/(?!index\\.ts$)', pathNot: '^libs/$2/' },
    },
    {
      name: 'code-not-to-tests-or-scripts',
      comment: 'Only tests use the test fixtures; nothing that ships uses scripts/.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^(test|scripts)/' },
    },
    ...layering,
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|models|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
