// SPDX-License-Identifier: Apache-2.0
//
// CustomResourceDefinition openAPIV3Schema -> JSON Schema (draft-07) for ajv,
// with the API server's pruning made strict: every object schema that does
// not preserve unknown fields gets additionalProperties:false, so a field
// the CRD does not declare is an error instead of being silently dropped.
//
// Handled: x-kubernetes-int-or-string (integer or string),
// x-kubernetes-preserve-unknown-fields (free-form below), x-kubernetes-
// embedded-resource (apiVersion, kind, metadata implied), nullable, OpenAPI
// 3.0 boolean exclusiveMinimum/exclusiveMaximum, Kubernetes formats.  Not
// evaluated: x-kubernetes-validations (CEL rules) and list-type/map-keys.

import Ajv from "ajv";

const COPY = [
  "type", "enum", "pattern", "minimum", "maximum", "minLength", "maxLength",
  "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties",
  "multipleOf", "required", "format",
];

/** Converts one openAPIV3Schema node. */
export function toJsonSchema(s, { root = false } = {}) {
  if (s === true || s === false) return s;
  if (s === null || typeof s !== "object") return {};
  const out = {};
  for (const k of COPY) if (s[k] !== undefined) out[k] = structuredClone(s[k]);
  if (s.exclusiveMinimum === true && s.minimum !== undefined) {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && s.maximum !== undefined) {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  for (const k of ["allOf", "anyOf", "oneOf"]) {
    if (Array.isArray(s[k])) out[k] = s[k].map((x) => toJsonSchema(x));
  }
  if (s.not) out.not = toJsonSchema(s.not);
  if (s.items) out.items = toJsonSchema(s.items);

  if (s["x-kubernetes-int-or-string"]) {
    delete out.type;
    const alt = { anyOf: [{ type: "integer" }, { type: "string" }] };
    if (out.anyOf) out.allOf = [...(out.allOf || []), alt];
    else Object.assign(out, alt);
  }

  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  const embedded = s["x-kubernetes-embedded-resource"] === true;
  if (s.properties || root || embedded) {
    out.properties = {};
    for (const [k, v] of Object.entries(s.properties || {})) out.properties[k] = toJsonSchema(v);
    if (root || embedded) {
      out.properties.apiVersion ??= { type: "string" };
      out.properties.kind ??= { type: "string" };
      // ObjectMeta is checked separately, with the strict built-in schema.
      out.properties.metadata = { type: "object" };
    }
  }
  if (s.additionalProperties !== undefined) {
    out.additionalProperties = toJsonSchema(s.additionalProperties);
  } else if (!preserve && (s.type === "object" || out.properties)) {
    out.additionalProperties = false;
  }

  if (s.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum.push(null);
  }
  return out;
}

const INT32 = [-(2 ** 31), 2 ** 31 - 1];
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function newAjv() {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, strictTuples: false, allowUnionTypes: true });
  ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= INT32[0] && n <= INT32[1] });
  ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
  ajv.addFormat("float", { type: "number", validate: () => true });
  ajv.addFormat("double", { type: "number", validate: () => true });
  ajv.addFormat("date-time", RFC3339);
  ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat("byte", /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
  return ajv;
}

// Formats the API server does not check (or this tool does not know) are
// accepted as plain strings, as the API server does.
function registerFormats(ajv, schema) {
  const seen = (n) => {
    if (n === null || typeof n !== "object") return;
    if (typeof n.format === "string" && !ajv.formats[n.format]) ajv.addFormat(n.format, true);
    for (const v of Object.values(n)) seen(v);
  };
  seen(schema);
}

/**
 * Registers every served version of a CRD object into `kinds`
 * (Map "group/version/Kind" -> {crd, validate}).  Returns the list of keys.
 */
export function registerCrd(ajv, kinds, crd, origin, { eager = false } = {}) {
  const spec = crd.spec || {};
  const keys = [];
  for (const v of spec.versions || []) {
    if (!v || v.served === false) continue;
    const s = v.schema?.openAPIV3Schema;
    if (!s) continue;
    const schema = toJsonSchema(s, { root: true });
    registerFormats(ajv, schema);
    // Compiled on first use (compiling a large schema costs ~0.5 s), or now
    // when eager, so that a CRD under validation shows it converts.
    let compiled = eager ? ajv.compile(schema) : null;
    const validate = (obj) => {
      compiled ??= ajv.compile(schema);
      const ok = compiled(obj);
      validate.errors = compiled.errors;
      return ok;
    };
    const key = `${spec.group}/${v.name}/${spec.names?.kind}`;
    kinds.set(key, { validate, origin, scope: spec.scope });
    keys.push(key);
  }
  return keys;
}

/**
 * The API server's structural-schema rules a CRD must meet to be accepted
 * (apiextensions "Specifying a structural schema"), on one openAPIV3Schema.
 * Returns [{segs, message}] with segs relative to the schema.
 */
export function structuralProblems(s, segs = [], { inJunctor = false, typed = true } = {}) {
  const out = [];
  if (s === null || typeof s !== "object" || Array.isArray(s)) return out;
  const intOrString = s["x-kubernetes-int-or-string"] === true;
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  if (inJunctor) {
    for (const k of ["type", "description", "default", "nullable", "additionalProperties", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource"]) {
      if (s[k] !== undefined && !(k === "additionalProperties" && typeof s[k] === "boolean")) {
        out.push({ segs: [...segs, k], message: `not allowed inside allOf/anyOf/oneOf/not (non-structural schema)` });
      }
    }
  } else if (typed && !s.type && !intOrString && !preserve) {
    out.push({ segs, message: "type is missing (non-structural schema: every field needs a type)" });
  }
  if (intOrString && s.type) out.push({ segs: [...segs, "type"], message: "must be empty with x-kubernetes-int-or-string" });
  if (s.properties && s.additionalProperties !== undefined && typeof s.additionalProperties !== "boolean") {
    out.push({ segs: [...segs, "additionalProperties"], message: "cannot be combined with properties" });
  }
  if (s.type === "array" && !s.items && !inJunctor) out.push({ segs: [...segs, "items"], message: "is required for type array (non-structural schema)" });
  for (const [k, v] of Object.entries(s.properties || {})) out.push(...structuralProblems(v, [...segs, "properties", k], { inJunctor }));
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    out.push(...structuralProblems(s.additionalProperties, [...segs, "additionalProperties"], { inJunctor }));
  }
  if (s.items && typeof s.items === "object" && !Array.isArray(s.items)) out.push(...structuralProblems(s.items, [...segs, "items"], { inJunctor }));
  for (const j of ["allOf", "anyOf", "oneOf"]) {
    (Array.isArray(s[j]) ? s[j] : []).forEach((x, i) => out.push(...structuralProblems(x, [...segs, j, String(i)], { inJunctor: true })));
  }
  if (s.not) out.push(...structuralProblems(s.not, [...segs, "not"], { inJunctor: true }));
  return out;
}
