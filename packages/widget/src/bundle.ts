// Entry of dist/truto-connect.js: the element with Lit, registered, in one ES module.
export * from './define.js';
export * from './index.js';
