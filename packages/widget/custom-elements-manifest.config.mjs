// custom-elements.json comes from the JSDoc of the element. The analyzer also picks up the
// unnamed events of `dispatchEvent(new XEvent())` calls and Lit's internal `state` properties;
// this plugin drops both so the manifest lists only the public API.
function publicApiOnly() {
  return {
    name: 'public-api-only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (decl.events) decl.events = decl.events.filter((e) => e.name);
          if (decl.attributes) decl.attributes = decl.attributes.filter((a) => !a.name.startsWith('_'));
          if (decl.members) decl.members = decl.members.filter((m) => !m.name.startsWith('_'));
        }
      }
    },
  };
}

export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/**/*.node.test.ts', 'src/bundle.ts'],
  litelement: true,
  plugins: [publicApiOnly()],
};
