// The full Vue build (with the template compiler) has the same API as `vue`.
declare module 'vue/dist/vue.esm-bundler.js' {
  export * from 'vue';
}
