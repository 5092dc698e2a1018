#!/usr/bin/env node
// The command's entry, committed (not built) so `pnpm install` can link it before `pnpm build`
// has made dist/. It only loads the compiled command line.
import '../dist/cli.js';
