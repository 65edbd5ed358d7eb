// Lint .cypher files with Neo4j's own linter (Cypher 5).
// Usage: node lint_cypher.mjs FILE...   Prints one JSON object per file:
//   {"file": ..., "errors": [...], "warnings": [...]}; exit status 1 when any file has an error.
import { readFileSync } from 'node:fs';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const ERROR = 1;  // LSP DiagnosticSeverity.Error
let failed = false;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8');
  // The parameters a file declares in its header comment (`//   $name  ...`): the linter then
  // reports any parameter the query uses without declaring it.  No labels or properties are
  // given, so the check is syntax and semantics only.
  const parameters = {};
  for (const m of text.matchAll(/^\/\/\s+\$(\w+)/gm)) parameters[m[1]] = null;
  const { diagnostics } = lintCypherQuery(text, { parameters });
  const describe = (d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, message: d.message });
  const errors = diagnostics.filter((d) => d.severity === ERROR).map(describe);
  const warnings = diagnostics.filter((d) => d.severity !== ERROR).map(describe);
  if (errors.length) failed = true;
  console.log(JSON.stringify({ file, errors, warnings }));
}
process.exit(failed ? 1 : 0);
