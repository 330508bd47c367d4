// Lint Cypher texts with Neo4j's own front end (@neo4j-cypher/language-support).
//
// stdin:  {"schema": {"labels": [...], "relationshipTypes": [...], "propertyKeys": [...],
//                     "graphSchema": [{"from", "to", "relType"}]},
//          "queries": [{"name": "...", "text": "...", "parameters": ["name", ...],
//                       "propertyKeys": [...]}]}
//         A query's own propertyKeys (optional: the fields of its UNWIND rows) are added to
//         the schema's for that query only.
// stdout: [{"name": "...", "errors": [{"message", "line", "col"}], "warnings": [...]}]
//
// line and col are 1-based. Functions are Neo4j 5's built-ins only (no APOC), taken from
// the package's own snapshot (docs/cypher-portability.md §6), so a Ladybug-only function
// such as label(n) is an error. Run from this folder's node_modules (`npm ci` here).
import { readFileSync } from 'node:fs';
import { lintCypherQuery, testData } from '@neo4j-cypher/language-support';

const input = JSON.parse(readFileSync(0, 'utf8'));
const schema = input.schema ?? {};

const builtins = Object.fromEntries(
  Object.entries(testData.mockSchema.functions['CYPHER 5']).filter(([, f]) => f.isBuiltIn),
);

const results = (input.queries ?? []).map((q) => {
  const parameters = Object.fromEntries((q.parameters ?? []).map((p) => [p, '']));
  const { diagnostics } = lintCypherQuery(
    q.text,
    {
      labels: schema.labels ?? [],
      relationshipTypes: schema.relationshipTypes ?? [],
      propertyKeys: [...(schema.propertyKeys ?? []), ...(q.propertyKeys ?? [])],
      graphSchema: schema.graphSchema ?? [],
      parameters,
      functions: { 'CYPHER 5': builtins },
      procedures: { 'CYPHER 5': {} },
    },
    { consoleCommandsEnabled: false },
  );
  const shape = (d) => ({
    message: d.message,
    line: d.range.start.line + 1,
    col: d.range.start.character + 1,
  });
  return {
    name: q.name,
    errors: diagnostics.filter((d) => d.severity === 1).map(shape),
    warnings: diagnostics.filter((d) => d.severity !== 1).map(shape),
  };
});

process.stdout.write(JSON.stringify(results, null, 1) + '\n');
