// Parse an AsyncAPI document with the official parser; exit 1 on any error-level diagnostic.
// Usage: node check.mjs ../../docs/asyncapi.json   (run by tests/unit/test_asyncapi_parser.py)
import { readFile } from "node:fs/promises";
import { Parser, DiagnosticSeverity } from "@asyncapi/parser";

const path = process.argv[2];
if (!path) {
  console.error("usage: node check.mjs <asyncapi.json>");
  process.exit(2);
}
const parser = new Parser();
const { document, diagnostics } = await parser.parse(await readFile(path, "utf8"));
const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
for (const d of diagnostics) {
  const where = (d.path || []).join(".");
  console.log(`${DiagnosticSeverity[d.severity]} ${d.code} ${where}: ${d.message}`);
}
if (errors.length > 0 || document === undefined) {
  console.error(`${errors.length} error(s) in ${path}`);
  process.exit(1);
}
console.log(`ok: ${path} (${diagnostics.length} non-error diagnostic(s))`);
