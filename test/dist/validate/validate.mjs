// SPDX-License-Identifier: Apache-2.0
//
// Strict schema validation of Kubernetes manifests (see ../validate.sh).
//
//   node validate.mjs [--crds PATH]... [--no-default-crds] [--stdin-name NAME] FILE_OR_DIR|-...
//
// Every document of every file (directories: *.yaml, *.yml, *.json,
// recursively, kustomization files skipped; "-" is stdin) is validated by
// apiVersion and kind:
//   - Kubernetes built-in kinds: kubernetes-models 4.5.1 (the Kubernetes
//     1.33 OpenAPI: the published release nearest 1.32; no 1.32 build exists);
//   - *.istio.io kinds: @kubernetes-models/istio;
//   - gateway.networking.k8s.io kinds: @kubernetes-models/gateway-api;
//     all three made strict (unknown fields are errors) by strict.mjs;
//   - custom resources: the CRDs of manifests/crds/ (plus --crds), and every
//     CustomResourceDefinition found in the input itself (later wins),
//     converted to JSON Schema with unknown fields forbidden (crd.mjs); a
//     Canary's spec.service.trafficPolicy is checked against Istio's
//     DestinationRule trafficPolicy schema.
// Also errors: unknown apiVersion/kind, a missing metadata.name, invalid
// YAML (duplicate keys included), no object at all, and a CRD whose schema
// is not structural (the API server would reject it).
//
// Output, one line per problem, in line order within an object:
//   FILE: APIVERSION KIND NAMESPACE/NAME: PATH: MESSAGE (line N)
// (NAMESPACE/ is left out when the object has none; PATH is jq-style,
// .spec.template.spec.containers[0].image).  Summary on stderr.  Exit
// status: 0 all valid, 1 problems found, 2 usage or I/O error.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, LineCounter, isMap, isSeq, isScalar } from "yaml";
import { strictValidate, escapePointer, splitPointer } from "./strict.mjs";
import { newAjv, registerCrd, structuralProblems } from "./crd.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_CRDS = resolve(here, "../../../manifests/crds");

// Packages of generated models, in lookup order.
const PACKAGES = ["kubernetes-models", "@kubernetes-models/istio", "@kubernetes-models/gateway-api"];

// Sub-objects of custom resources validated with a built-in schema:
// [CR key, path, wrapper apiVersion, wrapper kind, build(value), path of the value in the wrapper].
const EMBEDDED = [
  ["flagger.app/v1beta1/Canary", ["spec", "service", "trafficPolicy"], "networking.istio.io/v1", "DestinationRule",
    (v) => ({ spec: { host: "embedded", trafficPolicy: v } }), ["spec", "trafficPolicy"]],
];

// Fields the generated validators cannot see (see strict.mjs): per kind, a
// regular expression on the slash-joined path of an object and the JSON
// Schemas of its fields named description or x-kubernetes-*.
const STR = { type: "string" };
const BOOL = { type: "boolean" };
const JSON_SCHEMA_PROPS_FIELDS = {
  description: STR,
  "x-kubernetes-embedded-resource": BOOL,
  "x-kubernetes-int-or-string": BOOL,
  "x-kubernetes-preserve-unknown-fields": BOOL,
  "x-kubernetes-list-map-keys": { type: "array", items: STR },
  "x-kubernetes-list-type": { enum: ["atomic", "set", "map"] },
  "x-kubernetes-map-type": { enum: ["granular", "atomic"] },
  "x-kubernetes-validations": {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["rule"],
      properties: {
        rule: STR, message: STR, messageExpression: STR, fieldPath: STR, optionalOldSelf: BOOL,
        reason: { enum: ["FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"] },
      },
    },
  },
};
const JSON_SCHEMA_PROPS_AT = /^spec\/versions\/\d+\/schema\/openAPIV3Schema(\/(properties|patternProperties|definitions|dependencies)\/[^/]+|\/(items|additionalProperties|additionalItems|not)|\/(allOf|anyOf|oneOf|items)\/\d+)*$/;
const GAPS = {
  "apiextensions.k8s.io/v1/CustomResourceDefinition": [
    [JSON_SCHEMA_PROPS_AT, JSON_SCHEMA_PROPS_FIELDS],
    [/^spec\/versions\/\d+\/additionalPrinterColumns\/\d+$/, { description: STR }],
    [/\/externalDocs$/, { description: STR }],
  ],
  "scheduling.k8s.io/v1/PriorityClass": [[/^$/, { description: STR }]],
  "gateway.networking.k8s.io/v1/GatewayClass": [[/^spec$/, { description: STR }]],
  "gateway.networking.k8s.io/v1beta1/GatewayClass": [[/^spec$/, { description: STR }]],
};
const gapsOf = (key) => (segs) => {
  const path = segs.join("/");
  for (const [re, fields] of GAPS[key] || []) if (re.test(path)) return fields;
  return null;
};

function usage(msg) {
  if (msg) process.stderr.write(`validate: ${msg}\n`);
  process.stderr.write("usage: validate.mjs [--crds PATH]... [--no-default-crds] [--stdin-name NAME] FILE_OR_DIR|-...\n");
  process.exit(2);
}

// ---------------------------------------------------------------- input

function listFiles(path, out) {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new Error(`${path}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`);
  }
  if (!st.isDirectory()) {
    out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    const p = join(path, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else if (/\.(ya?ml|json)$/.test(name) && !/^kustomization\.ya?ml$|^Kustomization$/.test(name)) out.push(p);
  }
}

/** Parses a YAML stream into [{file, doc, lines, obj, line, problems}]. */
function parseStream(file, text) {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: true });
  const out = [];
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const line = lines.linePos(doc.range?.[0] ?? 0).line;
    const entry = { file, doc, lines, line, obj: undefined, problems: [] };
    if (doc.errors.length) {
      for (const e of doc.errors) {
        const at = e.linePos?.[0]?.line ?? line;
        entry.problems.push({ path: "", message: `YAML: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`, line: at });
      }
      out.push(entry);
      continue;
    }
    if (doc.contents === null) continue; // empty document
    try {
      entry.obj = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      entry.problems.push({ path: "", message: `YAML: ${e.message}`, line });
    }
    out.push(entry);
  }
  return out;
}

// Line of the deepest node of `segs` present in the document.
function lineOf(entry, segs) {
  let node = entry.doc.contents;
  let offset = node?.range?.[0];
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === seg);
      if (!pair) break;
      offset = pair.key?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return offset === undefined ? entry.line : entry.lines.linePos(offset).line;
}

// ---------------------------------------------------------------- paths, messages


function dotted(segs, obj) {
  let out = "";
  let v = obj;
  for (const s of segs) {
    if (Array.isArray(v)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
    v = v !== null && typeof v === "object" ? v[s] : undefined;
  }
  return out || ".";
}

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

const at = (obj, segs) => segs.reduce((v, s) => (v !== null && typeof v === "object" ? v[s] : undefined), obj);

function altText(schema) {
  if (schema && Array.isArray(schema.required) && Object.keys(schema).length === 1) return schema.required.join("+");
  return null;
}

/** ajv-style errors -> [{segs, message}], branch noise of oneOf/anyOf folded. */
function render(errors, obj) {
  const combos = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  // A oneOf/anyOf failure also reports why each alternative failed: keep
  // only the oneOf/anyOf error itself.
  const inBranch = (e) => combos.some((c) => c !== e && e.pointer.startsWith(c.pointer) && e.schemaPath.startsWith(c.schemaPath + "/"));
  const out = [];
  for (const e of errors) {
    if (e.keyword === "if" || inBranch(e)) continue;
    let segs = splitPointer(e.pointer);
    const value = at(obj, segs);
    let message;
    switch (e.keyword) {
      case "unknown":
        message = e.message;
        break;
      case "additionalProperties":
        segs = [...segs, e.params.additionalProperty];
        message = `unknown field "${e.params.additionalProperty}"`;
        break;
      case "required":
        segs = [...segs, e.params.missingProperty];
        message = "required field is missing";
        break;
      case "type":
        message = `must be ${[].concat(e.params.type).join(" or ")}, got ${describe(value)}`;
        break;
      case "enum":
        message = `must be one of ${(e.params.allowedValues || e.schema || []).map((x) => JSON.stringify(x)).join(", ")}; got ${describe(value)}`;
        break;
      case "oneOf":
      case "anyOf": {
        const alts = (e.schema || []).map(altText);
        const how = e.keyword === "oneOf" ? "exactly one" : "at least one";
        message = alts.length && alts.every(Boolean)
          ? `needs ${how} of these field sets: ${alts.join(" | ")}`
          : `must match ${how} of the allowed shapes (${e.keyword})`;
        break;
      }
      default:
        message = `${e.message}${e.keyword === "format" || e.keyword === "pattern" || e.keyword.startsWith("m") ? `, got ${describe(value)}` : ""}`;
    }
    out.push({ segs, message });
  }
  return out;
}

// ---------------------------------------------------------------- registry

const builtinCache = new Map();
const gapAjv = newAjv();
const packageGroups = new Map(); // package -> Set of group/version export prefixes

function groupsOf(pkg) {
  if (!packageGroups.has(pkg)) {
    const pj = JSON.parse(readFileSync(join(here, "node_modules", pkg, "package.json"), "utf8"));
    const set = new Set();
    for (const k of Object.keys(pj.exports || {})) {
      const m = /^\.\/(.+)\/\*$/.exec(k);
      if (m) set.add(m[1]);
    }
    packageGroups.set(pkg, set);
  }
  return packageGroups.get(pkg);
}

async function builtinValidator(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (builtinCache.has(key)) return builtinCache.get(key);
  let found = null;
  if (/^[A-Z][A-Za-z0-9]*$/.test(kind) && /^[a-z0-9.-]*\/?[a-z0-9]+$/.test(apiVersion)) {
    for (const pkg of PACKAGES) {
      if (!groupsOf(pkg).has(apiVersion)) continue;
      try {
        const mod = await import(`${pkg}/${apiVersion}/${kind}`);
        const cls = mod[kind];
        if (cls && cls.apiVersion === apiVersion && cls.kind === kind && typeof cls.prototype?.validate === "function") {
          found = { validate: cls.prototype.validate, origin: pkg };
          break;
        }
      } catch (e) {
        if (e.code !== "ERR_MODULE_NOT_FOUND" && e.code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw e;
      }
    }
  }
  builtinCache.set(key, found);
  return found;
}

// ---------------------------------------------------------------- validation

async function validateObject(obj, crds, sub = []) {
  // -> [{segs, message}]
  const problems = [];
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
    return [{ segs: sub, message: `a Kubernetes object must be a map, got ${describe(obj)}` }];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || apiVersion === "") problems.push({ segs: [...sub, "apiVersion"], message: "required field is missing" });
  if (typeof kind !== "string" || kind === "") problems.push({ segs: [...sub, "kind"], message: "required field is missing" });
  if (problems.length) return problems;

  const name = obj.metadata?.name;
  const isList = kind.endsWith("List") && Array.isArray(obj.items);
  if (!isList && (typeof name !== "string" || name === "")) {
    problems.push({ segs: [...sub, "metadata", "name"], message: "required field is missing" });
  }

  const prefix = (list) => list.map((p) => ({ segs: [...sub, ...p.segs], message: p.message }));
  const crdKey = `${apiVersion.includes("/") ? apiVersion : "/" + apiVersion}/${kind}`;
  const crd = crds.get(crdKey);
  if (crd) {
    let ok;
    try {
      ok = crd.validate(obj);
    } catch (err) {
      problems.push({ segs: sub, message: `the schema of its CRD (${crd.origin}) cannot be compiled: ${err.message}` });
      return problems;
    }
    const errs = ok ? [] : crd.validate.errors.map((e) => ({
      pointer: e.instancePath, keyword: e.keyword, params: e.params, message: e.message, schemaPath: e.schemaPath, schema: e.schema,
    }));
    problems.push(...prefix(render(errs, obj)));
    if (obj.metadata !== undefined) {
      const cm = await builtinValidator("v1", "ConfigMap");
      const errs2 = strictValidate(cm.validate, { apiVersion: "v1", kind: "ConfigMap", metadata: obj.metadata });
      problems.push(...prefix(render(errs2, { metadata: obj.metadata })));
    }
    for (const [key, path, wApiVersion, wKind, build, inner] of EMBEDDED) {
      const value = at(obj, path);
      if (key !== crdKey || value === undefined || value === null || typeof value !== "object") continue;
      const w = await builtinValidator(wApiVersion, wKind);
      if (!w) continue;
      const wrapped = { apiVersion: wApiVersion, kind: wKind, metadata: { name: "embedded" }, ...build(value) };
      const innerPtr = "/" + inner.map(escapePointer).join("/");
      const errs3 = strictValidate(w.validate, wrapped)
        .filter((e) => e.pointer === innerPtr || e.pointer.startsWith(innerPtr + "/"))
        .map((e) => ({ ...e, pointer: "/" + path.map(escapePointer).join("/") + e.pointer.slice(innerPtr.length) }));
      problems.push(...prefix(render(errs3, obj)));
    }
    return problems;
  }

  if (apiVersion === "v1" && kind === "List") {
    // kubectl's client-side list: no schema of its own, each item is an object.
    for (const k of Object.keys(obj)) {
      if (!["apiVersion", "kind", "metadata", "items"].includes(k)) problems.push({ segs: [...sub, k], message: `unknown field "${k}"` });
    }
    if (!Array.isArray(obj.items)) {
      problems.push({ segs: [...sub, "items"], message: `must be array, got ${describe(obj.items)}` });
      return problems;
    }
    for (let i = 0; i < obj.items.length; i++) problems.push(...(await validateObject(obj.items[i], crds, [...sub, "items", String(i)])));
    return problems;
  }

  const b = await builtinValidator(apiVersion, kind);
  if (!b) {
    problems.push({ segs: sub, message: `unknown apiVersion/kind "${apiVersion}" "${kind}" (no built-in schema and no CRD for it)` });
    return problems;
  }
  problems.push(...prefix(render(strictValidate(b.validate, obj, gapsOf(`${apiVersion}/${kind}`), gapAjv), obj)));
  if (apiVersion === "apiextensions.k8s.io/v1" && kind === "CustomResourceDefinition" && Array.isArray(obj.spec?.versions)) {
    obj.spec.versions.forEach((v, i) => {
      const s = v?.schema?.openAPIV3Schema;
      if (s) problems.push(...prefix(structuralProblems(s).map((p) => ({ segs: ["spec", "versions", String(i), "schema", "openAPIV3Schema", ...p.segs], message: p.message }))));
    });
  }
  return problems;
}

function ident(obj) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return "(not an object)";
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? "(no name)";
  return `${obj.apiVersion ?? "(no apiVersion)"} ${obj.kind ?? "(no kind)"} ${ns ? `${ns}/` : ""}${name}`;
}

async function main(argv) {
  const crdPaths = [];
  const inputs = [];
  let defaultCrds = true;
  let stdinName = "<stdin>";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--crds") crdPaths.push(argv[++i] ?? usage("--crds needs a path"));
    else if (a === "--no-default-crds") defaultCrds = false;
    else if (a === "--stdin-name") stdinName = argv[++i] ?? usage("--stdin-name needs a name");
    else if (a === "-h" || a === "--help") usage();
    else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else inputs.push(a);
  }
  if (!inputs.length) usage("no input");
  if (defaultCrds) crdPaths.unshift(DEFAULT_CRDS);

  const read = (f) => (f === "-" ? readFileSync(0, "utf8") : readFileSync(f, "utf8"));
  const ajv = newAjv();
  const crds = new Map();
  let failed = 0;
  const report = (file, obj, segs, message, line) => {
    failed++;
    const where = segs === null || segs.length === 0 ? "" : `${dotted(segs, obj)}: `;
    process.stdout.write(`${file}: ${obj === undefined ? "" : ident(obj) + ": "}${where}${message}${line ? ` (line ${line})` : ""}\n`);
  };

  // CRDs: the default/--crds ones first, then any in the input (later wins).
  const registerFrom = (entries, eager) => {
    for (const e of entries) {
      const o = e.obj;
      if (o && o.apiVersion === "apiextensions.k8s.io/v1" && o.kind === "CustomResourceDefinition") {
        try {
          registerCrd(ajv, crds, o, e.file, { eager });
        } catch (err) {
          report(e.file, o, null, `cannot compile its schema: ${err.message}`, e.line);
        }
      }
    }
  };
  for (const p of crdPaths) {
    const files = [];
    try {
      listFiles(p, files);
    } catch (e) {
      if (p === DEFAULT_CRDS) continue;
      process.stderr.write(`validate: ${e.message}\n`);
      return 2;
    }
    for (const f of files) registerFrom(parseStream(f, readFileSync(f, "utf8")), false);
  }

  const entries = [];
  for (const input of inputs) {
    const files = [];
    try {
      if (input === "-") files.push("-");
      else listFiles(input, files);
      for (const f of files) entries.push(...parseStream(f === "-" ? stdinName : f, read(f)));
    } catch (e) {
      process.stderr.write(`validate: ${e.message}\n`);
      return 2;
    }
  }
  registerFrom(entries, true);

  let objects = 0;
  for (const e of entries) {
    for (const p of e.problems) report(e.file, undefined, null, p.message, p.line);
    if (e.problems.length) continue;
    objects++;
    const seen = new Set();
    const found = [];
    for (const p of await validateObject(e.obj, crds)) {
      const k = `${p.segs.join("\0")}\u0001${p.message}`;
      if (seen.has(k)) continue;
      seen.add(k);
      found.push({ ...p, line: lineOf(e, p.segs) });
    }
    found.sort((a, b) => a.line - b.line);
    for (const p of found) report(e.file, e.obj, p.segs, p.message, p.line);
  }
  if (objects === 0 && !failed) report(inputs.join(" "), undefined, null, "no Kubernetes objects found", 0);
  const files = new Set(entries.map((e) => e.file)).size;
  process.stderr.write(`validate: ${objects} object(s) in ${files} file(s), ${crds.size} custom kind(s) known: ${failed ? `${failed} problem(s)` : "all valid"}\n`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => process.exit(rc), (e) => {
  process.stderr.write(`validate: internal error: ${e.stack || e}\n`);
  process.exit(2);
});
