// The GraphQL reference implementation (npm graphql) reads our schema as any client tool does, by
// introspection, and validates documents against it: every ```graphql block of a Markdown file.
// Prints {"document": first line, "errors": [...]} per block, then {"done": count}.
//   node graphql-validate.mjs <baseUrl> <markdownFile>
import { buildClientSchema, getIntrospectionQuery, parse, validate } from "graphql";
import { readFileSync } from "node:fs";

const [baseUrl, markdown] = process.argv.slice(2);
const print = (line) => process.stdout.write(JSON.stringify(line) + "\n");

const response = await fetch(`${baseUrl}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: getIntrospectionQuery() }),
});
const introspection = await response.json();
if (introspection.errors) {
  print({ introspectionErrors: introspection.errors });
  process.exit(1);
}
const schema = buildClientSchema(introspection.data);
print({ types: Object.keys(schema.getTypeMap()).length });

const blocks = [...readFileSync(markdown, "utf8").matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
for (const block of blocks) {
  let errors;
  try {
    errors = validate(schema, parse(block)).map((e) => e.message);
  } catch (e) {
    errors = [String(e.message)];
  }
  print({ document: block.trim().split("\n")[0], errors });
}
print({ done: blocks.length });
