// SPDX-License-Identifier: Apache-2.0
//
// Audit of the strictness assumption of strict.mjs, for the installed
// versions of the model packages: every field a package declares (its
// TypeScript declarations) must be read by its compiled validators, or the
// field would be reported as unknown.  Fields never read are listed; all of
// them must be covered by the GAPS table of validate.mjs (description and
// x-kubernetes-* of CRD schemas, GatewayClass spec.description,
// PriorityClass description).  Run after changing a package version:
//
//   node audit.mjs     exit 0: nothing new; 1: fields to add to GAPS
//
// (Declared names are global per package: a field skipped in one type but
// read in another is not caught; such skips happen only for fields with an
// empty schema, and the declarations show none besides those handled.)

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGES = ["kubernetes-models", "@kubernetes-models/istio", "@kubernetes-models/gateway-api"];
const HANDLED = new Set([
  "description",
  "x-kubernetes-embedded-resource",
  "x-kubernetes-int-or-string",
  "x-kubernetes-list-map-keys",
  "x-kubernetes-list-type",
  "x-kubernetes-map-type",
  "x-kubernetes-preserve-unknown-fields",
  "x-kubernetes-validations",
]);

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "node_modules") walk(p, out);
    } else out.push(p);
  }
  return out;
}

let bad = 0;
for (const pkg of PACKAGES) {
  const root = join(here, "node_modules", pkg);
  const declared = new Map();
  const read = new Set();
  for (const f of walk(root, [])) {
    if (f.endsWith(".d.ts") && !f.includes("/_schemas/")) {
      for (const m of readFileSync(f, "utf8").matchAll(/^\s*"([^"]+)"\??:/gm)) if (!declared.has(m[1])) declared.set(m[1], f);
    } else if (f.includes("/_schemas/") && /\.m?js$/.test(f)) {
      const re = /data\.([A-Za-z_$][\w$]*)|data\["([^"]+)"\]|parentDataProperty:"([^"]+)"|missingProperty:"([^"]+)"/g;
      for (const m of readFileSync(f, "utf8").matchAll(re)) read.add(m[1] || m[2] || m[3] || m[4]);
    }
  }
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const never = [...declared].filter(([k]) => !read.has(k));
  const fresh = never.filter(([k]) => !HANDLED.has(k));
  console.log(`${pkg}@${version}: ${declared.size} fields declared, never read by the validators: ${never.map(([k]) => k).join(", ") || "none"}`);
  for (const [k, f] of fresh) {
    console.log(`  NOT HANDLED: "${k}" (declared in ${relative(root, f)}): add it to GAPS in validate.mjs`);
    bad = 1;
  }
}
process.exit(bad);
