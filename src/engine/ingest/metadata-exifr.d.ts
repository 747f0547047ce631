// exifr's package.json sends Node to its UMD build and bundlers (Vite, Vitest) to its ESM build,
// whose default export lacks `sidecar`; metadata.ts imports the ESM build by path so that every
// runtime loads the same code. This gives that path the package's own types.
declare module 'exifr/dist/full.esm.mjs' {
  export * from 'exifr';
}
