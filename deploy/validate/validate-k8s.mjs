// Offline schema check of Kubernetes manifests (the output of `kubectl kustomize deploy/k8s`):
//  1. kubernetes-models: each object against the Kubernetes OpenAPI schema of its kind (types, required fields, formats);
//  2. @kubernetes/client-node's generated models: every field name must exist in its type (catches typos, which the
//     OpenAPI schema lets through because it does not forbid unknown properties).
// Usage: node validate-k8s.mjs FILE.yaml ...   Exit 1 on any error.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";

const errors = [];
let checked = 0;

// A type string from client-node's attribute maps: "V1Container", "Array<V1Container>", "{ [key: string]: string; }", primitives.
function checkFields(value, type, path) {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return errors.push(`${path}: expected a list`);
    value.forEach((item, i) => checkFields(item, array[1], `${path}[${i}]`));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value !== "object" || Array.isArray(value)) return errors.push(`${path}: expected a map`);
    for (const [key, item] of Object.entries(value)) checkFields(item, map[1], `${path}.${key}`);
    return;
  }
  const model = models[type];
  if (typeof model?.getAttributeTypeMap !== "function") return; // string, number, boolean, IntOrString, Date, any, object
  if (typeof value !== "object" || Array.isArray(value)) return errors.push(`${path}: expected an object (${type})`);
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, item] of Object.entries(value)) {
    if (!attributes.has(key)) errors.push(`${path}.${key}: unknown field in ${type}`);
    else checkFields(item, attributes.get(key), `${path}.${key}`);
  }
}

for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"), { version: "1.1" })) {
    if (doc.errors.length) { errors.push(`${file}: ${doc.errors[0].message}`); continue; }
    const object = doc.toJS();
    if (!object) continue;
    const { apiVersion, kind } = object;
    const name = `${kind}/${object.metadata?.name ?? "?"}`;
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
    let Model;
    try {
      Model = (await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${kind}`))[kind];
    } catch {
      errors.push(`${name}: no schema for ${apiVersion} ${kind}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      errors.push(`${name}: ${error.message}`);
    }
    const typeName = `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
    if (typeof models[typeName]?.getAttributeTypeMap !== "function") errors.push(`${name}: no field list for ${typeName}`);
    else checkFields(object, typeName, name);
    checked++;
  }
}

for (const error of errors) console.error(`  ERROR ${error}`);
console.log(`${checked} objects checked against the Kubernetes schemas, ${errors.length} errors`);
process.exit(errors.length === 0 && checked > 0 ? 0 : 1);
