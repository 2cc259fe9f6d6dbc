// SPDX-License-Identifier: Apache-2.0
//
// Strict validation of built-in kinds (Kubernetes, Istio, Gateway API) with
// the validators of the kubernetes-models packages.
//
// Those validators are ajv code compiled from the upstream OpenAPI/CRD
// schemas: they check types, required fields, enums, formats and patterns,
// but their schemas allow additional properties, so a misspelt field would
// pass.  The packages ship only the compiled code, not the schemas, so
// additionalProperties:false cannot be added to the schemas themselves.
// Instead the object is handed to the validator behind a Proxy that records,
// for every object, which keys the validator looked up:
//
//   - compiled ajv code reads every property the schema declares
//     (`void 0 !== data.replicas`, required checks), so after validation a
//     key the validator never read is a key the schema does not declare:
//     an unknown field;
//   - a schema that allows any key (labels, annotations, resource limits:
//     additionalProperties with a schema) iterates the object (`for in`),
//     which the Proxy sees as an ownKeys call: every key is then known;
//   - a schema with no properties at all (x-kubernetes-preserve-unknown-
//     fields, RawExtension) never reads the object: it is free-form, and so
//     is everything below it.
//
// This is what the API server does with strict field validation (unknown
// fields are errors) and matches the "-strict" JSON schemas of kubeconform.
//
// One flaw of the generated validators is worked around: their generator
// strips documentation keys from the schemas and with them the *fields*
// named description and x-kubernetes-* (PriorityClass.description,
// GatewayClass spec.description, CRD schemas).  `gaps(segments)` names, for
// an object at a path, such fields with a JSON Schema to check them by.

const isObject = (v) => v !== null && typeof v === "object";

/**
 * Runs a kubernetes-models validate function on data with unknown-field
 * tracking.  Returns a list of {pointer, keyword, message, params}: ajv
 * errors (instance paths as JSON pointers) plus "unknown" entries.
 */
export function strictValidate(validateFn, data, gaps = () => null, ajv = null) {
  const records = new Map(); // raw object -> {read: Set, enumerated: bool}
  const proxies = new WeakMap();

  const wrap = (v) => {
    if (!isObject(v)) return v;
    let p = proxies.get(v);
    if (p) return p;
    const rec = { read: new Set(), enumerated: false };
    records.set(v, rec);
    p = new Proxy(v, {
      get(t, k) {
        if (typeof k === "string") rec.read.add(k);
        return wrap(Reflect.get(t, k));
      },
      has(t, k) {
        if (typeof k === "string") rec.read.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
    proxies.set(v, p);
    return p;
  };

  const errors = [];
  try {
    validateFn.call(wrap(data));
  } catch (e) {
    if (!Array.isArray(e.errors)) throw e;
    for (const err of e.errors) {
      errors.push({
        pointer: err.instancePath,
        keyword: err.keyword,
        params: err.params || {},
        message: err.message,
        schemaPath: err.schemaPath || "",
      });
    }
  }

  const walk = (v, pointer) => {
    const rec = records.get(v);
    if (!rec) return; // never reached: free-form, or under a wrongly typed parent
    if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, `${pointer}/${i}`));
      return;
    }
    const keys = Object.keys(v);
    if (!rec.enumerated && rec.read.size > 0) {
      const extra = gaps(splitPointer(pointer));
      for (const k of keys) {
        if (rec.read.has(k)) continue;
        const p = `${pointer}/${escapePointer(k)}`;
        if (extra && extra[k] && ajv) {
          const check = ajv.compile(extra[k]);
          if (!check(v[k])) {
            for (const e of check.errors) {
              errors.push({ pointer: p + e.instancePath, keyword: e.keyword, params: e.params, message: e.message, schemaPath: "", schema: e.schema });
            }
          }
          continue;
        }
        errors.push({ pointer: p, keyword: "unknown", params: { field: k }, message: `unknown field "${k}"` });
      }
    }
    for (const k of keys) walk(v[k], `${pointer}/${escapePointer(k)}`);
  };
  walk(data, "");
  return errors;
}

export const splitPointer = (p) => (p === "" ? [] : p.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")));
export const escapePointer = (k) => String(k).replace(/~/g, "~0").replace(/\//g, "~1");
