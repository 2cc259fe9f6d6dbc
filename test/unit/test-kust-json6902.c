/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON 6902 patches against kubectl (kustomize.md §1.9, §3.4).  Every row
 * of `cases` was produced by kubectl v1.32.4 (kustomize v5.5.0) with
 *     kubectl kustomize DIR
 * where DIR holds res.yaml (bases[row.base]), patch.txt (row.patch) and
 * this kustomization.yaml:
 *     resources: [res.yaml]
 *     patches:
 *     - target: {kind: Thing, name: obj}
 *       path: patch.txt
 * `out` is what kubectl printed after the unchanged first four lines when
 * it starts with "spec:", else the whole output (NULL when the object came
 * out as it went in), `err` the message it failed with, after "err=" (CRASH
 * where kubectl panicked with a nil pointer dereference).  The rows of
 * `parse_errors` come from the same DIR with patchesJson6902 and a target
 * version, which reports decoding errors without the `patches` wrapper.
 */
#include "kustomize/json6902.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ga/alloc.h"
#include "ga/buf.h"
#include "ga/yaml.h"
#include "harness.h"
#include "util/alloc.h"

#define HEADER "apiVersion: v1\nkind: Thing\nmetadata:\n  name: obj\n"
#define CRASH                                                                  \
	"kubectl v1.32 crashes here (nil pointer dereference in "              \
	"evanphx/json-patch)"

static const char *const bases[] = {
    /* 0 */
    "apiVersion: v1\n"
    "kind: Thing\n"
    "metadata:\n"
    "  name: obj\n"
    "spec:\n"
    "  a: 1\n"
    "  l: [x, y, z]\n"
    "  m: {k: v}\n"
    "  n: null\n",
    /* 1 */
    "apiVersion: v1\n"
    "kind: Thing\n"
    "metadata:\n"
    "  name: obj\n"
    "spec:\n"
    "  f: 1.5\n"
    "  h: a<b&c\n"
    "  u: A\n"
    "  nl: [1, null]\n"
    "  obj: {x: 1, y: [true, s], z: null}\n"
    "  neg: -0.0\n"
    "  fl: 100.0\n"
    "  e: {}\n"
    "  x/y: slash\n"
    "  x~y: tilde\n",
    /* 2 */
    "apiVersion: v1\n"
    "kind: Thing\n"
    "metadata:\n"
    "  name: obj\n"
    "spec:\n"
    "  i1: 9007199254740992\n"
    "  i2: 9007199254740993\n"
    "  i3: -9007199254740993\n"
    "  u: 12345678901234567890\n"
    "  p60: 1152921504606846976\n"
    "  f: 1e21\n"};

struct tcase {
	int base;          /* index into bases[] */
	const char *patch; /* patch.txt */
	const char *out;   /* kubectl's output (see above) */
	const char *err;   /* kubectl's error; NULL when it succeeded */
};

static const struct tcase cases[] = {
    /* add: map keys, list positions (Atoi, negative, "-", == length), missing
       parents */
    {0, "[{\"op\":\"add\",\"path\":\"/spec/b\",\"value\":2}]",
     "spec:\n  a: 1\n  b: 2\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/a\",\"value\":\"replaced\"}]",
     "spec:\n  a: replaced\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/-\",\"value\":\"w\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - w\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/0\",\"value\":\"first\"}]",
     "spec:\n  a: 1\n  l:\n  - first\n  - x\n  - \"y\"\n  - z\n  m:\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/3\",\"value\":\"end\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - end\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/4\",\"value\":\"far\"}]", NULL,
     "error in add for path: '/spec/l/4': Unable to access invalid index: 4: "
     "invalid index referenced"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/-1\",\"value\":\"neg\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - neg\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/-4\",\"value\":\"A\"}]",
     "spec:\n  a: 1\n  l:\n  - A\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/-5\",\"value\":\"A\"}]", NULL,
     "error in add for path: '/spec/l/-5': Unable to access invalid index: -5: "
     "invalid index referenced"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/01\",\"value\":\"lead\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - lead\n  - \"y\"\n  - z\n  m:\n    k: v\n "
     " \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/+1\",\"value\":\"plus\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - plus\n  - \"y\"\n  - z\n  m:\n    k: v\n "
     " \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/no/deep\",\"value\":1}]", NULL,
     "add operation does not apply: doc is missing path: \"/spec/no/deep\": "
     "missing value"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/nv\",\"value\":null}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  nv: null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/nov\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  nov: null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/m/\",\"value\":\"A\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    \"\": A\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]",
     "\"\": 1\napiVersion: v1\nkind: Thing\nmetadata:\n  name: obj\nspec:\n  "
     "a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"\",\"value\":1}]", NULL,
     "add operation does not apply: doc is missing path: \"\": missing value"},
    {0, "[{\"op\":\"add\",\"path\":\"spec/top\",\"value\":1}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\ntop: 1\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/a/x\",\"value\":\"A\"}]", NULL,
     "add operation does not apply: doc is missing path: \"/spec/a/x\": "
     "missing value"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/n/x\",\"value\":\"A\"}]", NULL,
     "add operation does not apply: doc is missing path: \"/spec/n/x\": "
     "missing value"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/5/x\",\"value\":\"A\"}]", NULL,
     "add operation does not apply: doc is missing path: \"/spec/l/5/x\": "
     "missing value"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "v\",\"value\":{\"a\":{\"b\":[1,{\"c\":null}]},\"f\":1.0,\"s\":\"\\u2028x<"
     "y\"}}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n    a:\n      b:\n      - 1\n      - c: null\n    f: 1\n    "
     "s: '\342\200\250      x<y'\n",
     NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/"
     "-\",\"value\":{\"k\":[]}},{\"op\":\"add\",\"path\":\"/spec/l/3/k/"
     "-\",\"value\":\"deep\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - k:\n    - deep\n  m:\n "
     "   k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/ 1\",\"value\":\"A\"}]", NULL,
     "error in add for path: '/spec/l/ 1': value was not a proper array index: "
     "' 1': strconv.Atoi: parsing \" 1\": invalid syntax"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/1.0\",\"value\":\"A\"}]", NULL,
     "error in add for path: '/spec/l/1.0': value was not a proper array "
     "index: '1.0': strconv.Atoi: parsing \"1.0\": invalid syntax"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/x\",\"value\":\"A\"}]", NULL,
     "error in add for path: '/spec/l/x': value was not a proper array index: "
     "'x': strconv.Atoi: parsing \"x\": invalid syntax"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/\",\"value\":\"A\"}]", NULL,
     "error in add for path: '/spec/l/': value was not a proper array index: "
     "'': strconv.Atoi: parsing \"\": invalid syntax"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/l/+\",\"value\":1}]", NULL,
     "error in add for path: '/spec/l/+': value was not a proper array index: "
     "'+': strconv.Atoi: parsing \"+\": invalid syntax"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/"
     "99999999999999999999\",\"value\":\"A\"}]",
     NULL,
     "error in add for path: '/spec/l/99999999999999999999': value was not a "
     "proper array index: '99999999999999999999': strconv.Atoi: parsing "
     "\"99999999999999999999\": value out of range"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/9223372036854775807\",\"value\":1}]",
     NULL,
     "error in add for path: '/spec/l/9223372036854775807': Unable to access "
     "invalid index: 9223372036854775807: invalid index referenced"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/-9223372036854775809\",\"value\":1}]",
     NULL,
     "error in add for path: '/spec/l/-9223372036854775809': value was not a "
     "proper array index: '-9223372036854775809': strconv.Atoi: parsing "
     "\"-9223372036854775809\": value out of range"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/9223372036854775808x\",\"value\":1}]",
     NULL,
     "error in add for path: '/spec/l/9223372036854775808x': value was not a "
     "proper array index: '9223372036854775808x': strconv.Atoi: parsing "
     "\"9223372036854775808x\": invalid syntax"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/"
     "18446744073709551616x\",\"value\":1}]",
     NULL,
     "error in add for path: '/spec/l/18446744073709551616x': value was not a "
     "proper array index: '18446744073709551616x': strconv.Atoi: parsing "
     "\"18446744073709551616x\": value out of range"},
    /* remove: keys, null values, list positions, keys holding NUL */
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/a\"}]",
     "spec:\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/n\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n", NULL},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/missing\"}]", NULL,
     "error in remove for path: '/spec/missing': Unable to remove nonexistent "
     "key: missing: missing value"},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/no/deep\"}]", NULL,
     "remove operation does not apply: doc is missing path: \"/spec/no/deep\": "
     "missing value"},
    {0, "[{\"op\":\"remove\",\"path\":\"\"}]", NULL,
     "remove operation does not apply: doc is missing path: \"\": missing "
     "value"},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/0\"}]",
     "spec:\n  a: 1\n  l:\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/-1\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  m:\n    k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/-3\"}]",
     "spec:\n  a: 1\n  l:\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/-4\"}]", NULL,
     "error in remove for path: '/spec/l/-4': Unable to access invalid index: "
     "-4: invalid index referenced"},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/3\"}]", NULL,
     "error in remove for path: '/spec/l/3': Unable to access invalid index: "
     "3: invalid index referenced"},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/-\"}]", NULL,
     "error in remove for path: '/spec/l/-': strconv.Atoi: parsing \"-\": "
     "invalid syntax"},
    {0, "[{\"op\":\"remove\",\"path\":\"/spec/l/-9223372036854775808\"}]", NULL,
     "error in remove for path: '/spec/l/-9223372036854775808': Unable to "
     "access invalid index: -9223372036854775808: invalid index referenced"},
    {0,
     "[{\"op\":\"remove\",\"path\":\"/spec/l/"
     "\\\"q\\\"\\u0001\\u007f\\u0085\303\251\"}]",
     NULL,
     "error in remove for path: '/spec/l/\"q\"\001\177\302\205\303\251': "
     "strconv.Atoi: parsing \"\\\"q\\\"\\x01\\x7f\\u0085\303\251\": invalid "
     "syntax"},
    {0,
     "[{\"op\":\"remove\",\"path\":\"/spec/m/"
     "k\"},{\"op\":\"remove\",\"path\":\"/spec/m/k\"}]",
     NULL,
     "error in remove for path: '/spec/m/k': Unable to remove nonexistent key: "
     "k: missing value"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "k\\u0000ey\",\"value\":1},{\"op\":\"remove\",\"path\":\"/spec/"
     "k\\u0000ey\"}]",
     NULL, NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/m/"
     "k\\u0000\",\"value\":1},{\"op\":\"remove\",\"path\":\"/spec/m/"
     "k\\u0000\"}]",
     NULL, NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/"
     "k\\u0000\",\"value\":1},{\"op\":\"remove\",\"path\":\"/k\\u0000\"}]",
     NULL, NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/l/1\",\"value\":{\"j\":2}},"
     "{\"op\":\"add\",\"path\":\"/spec/l/1/k\\u0000\",\"value\":1},"
     "{\"op\":\"remove\",\"path\":\"/spec/l/1/k\\u0000\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - j: 2\n  - \"y\"\n  - z\n  m:\n    k: v\n "
     " \"n\": null\n",
     NULL},
    /* replace: a missing key is added; "" swaps the object or is ignored */
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/a\",\"value\":{\"x\":[1]}}]",
     "spec:\n  a:\n    x:\n    - 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    "
     "k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/missing\",\"value\":5}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  missing: "
     "5\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/no/deep\",\"value\":5}]", NULL,
     "replace operation does not apply: doc is missing path: /spec/no/deep: "
     "missing value"},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/0\",\"value\":\"R\"}]",
     "spec:\n  a: 1\n  l:\n  - R\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/-1\",\"value\":\"R\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - R\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/-3\",\"value\":\"R\"}]",
     "spec:\n  a: 1\n  l:\n  - R\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/-4\",\"value\":\"R\"}]", NULL,
     "replace operation does not apply: doc is missing key: /spec/l/-4: "
     "missing value"},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/3\",\"value\":\"R\"}]", NULL,
     "replace operation does not apply: doc is missing key: /spec/l/3: missing "
     "value"},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/l/-\",\"value\":\"R\"}]", NULL,
     "replace operation does not apply: doc is missing key: /spec/l/-: missing "
     "value"},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/n\",\"value\":\"R\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "R\n",
     NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"/spec/a\"}]",
     "spec:\n  a: null\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0,
     "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"apiVersion\":\"v1\","
     "\"kind\":\"Thing\",\"metadata\":{\"name\":\"obj2\"}}}]",
     "apiVersion: v1\nkind: Thing\nmetadata:\n  name: obj2\n", NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"\",\"value\":5}]", NULL, NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"\",\"value\":null}]", NULL, NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"\",\"value\":\"s\"}]", NULL, NULL},
    {0, "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]", NULL,
     "json: cannot unmarshal array into Go value of type map[string]interface "
     "{}"},
    {0,
     "[{\"op\":\"replace\",\"path\":\"/spec/"
     "m\",\"value\":[1]},{\"op\":\"add\",\"path\":\"/spec/m/0\",\"value\":0}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n  - 0\n  - 1\n  "
     "\"n\": null\n",
     NULL},
    /* move: removes first, so a map cannot move into its own child */
    {0, "[{\"op\":\"move\",\"from\":\"/spec/a\",\"path\":\"/spec/b\"}]",
     "spec:\n  b: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/m\",\"path\":\"/spec/m/inner\"}]",
     NULL,
     "move operation does not apply: doc is missing destination path: "
     "/spec/m/inner: missing value"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/m\",\"path\":\"/metadata/m\"}]",
     "apiVersion: v1\nkind: Thing\nmetadata:\n  m:\n    k: v\n  name: "
     "obj\nspec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/l/0\",\"path\":\"/spec/l/2\"}]",
     "spec:\n  a: 1\n  l:\n  - \"y\"\n  - z\n  - x\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/l/0\",\"path\":\"/spec/l/3\"}]",
     NULL,
     "error in move for path: '/spec/l/3': Unable to access invalid index: 3: "
     "invalid index referenced"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/l/0\",\"path\":\"/spec/l/-\"}]",
     "spec:\n  a: 1\n  l:\n  - \"y\"\n  - z\n  - x\n  m:\n    k: v\n  \"n\": "
     "null\n",
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/l/5\",\"path\":\"/spec/x\"}]", NULL,
     "error in move for path: '5': Unable to access invalid index: 5: invalid "
     "index referenced"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/missing\",\"path\":\"/spec/x\"}]",
     NULL,
     "error in move for path: 'missing': Unable to remove nonexistent key: "
     "missing: missing value"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/a\",\"path\":\"/spec/a\"}]", NULL,
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/a\",\"path\":\"/spec/l/x\"}]", NULL,
     "error in move for path: '/spec/l/x': value was not a proper array index: "
     "'x': strconv.Atoi: parsing \"x\": invalid syntax"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/n\",\"path\":\"/spec/n2\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  n2: "
     "null\n",
     NULL},
    {0, "[{\"op\":\"move\",\"from\":\"\",\"path\":\"/spec/x\"}]", NULL,
     "move operation does not apply: doc is missing from path: : missing "
     "value"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/a\",\"path\":\"\"}]", NULL,
     "move operation does not apply: doc is missing destination path: : "
     "missing value"},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "k\\u0000ey\",\"value\":1},{\"op\":\"move\",\"from\":\"/spec/"
     "k\\u0000ey\",\"path\":\"/spec/moved\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  moved: "
     "1\n  \"n\": null\n",
     NULL},
    /* copy: a missing source key copies null */
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/m\",\"path\":\"/spec/m2\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  m2:\n    "
     "k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/missing\",\"path\":\"/spec/c\"}]",
     "spec:\n  a: 1\n  c: null\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/n\",\"path\":\"/spec/c\"}]",
     "spec:\n  a: 1\n  c: null\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/no/x\",\"path\":\"/spec/c\"}]",
     NULL,
     "copy operation does not apply: doc is missing from path: /spec/no/x: "
     "missing value"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/l/5\",\"path\":\"/spec/x\"}]", NULL,
     "error in copy for from: '/spec/l/5': Unable to access invalid index: 5: "
     "invalid index referenced"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/l/-\",\"path\":\"/spec/x\"}]", NULL,
     "error in copy for from: '/spec/l/-': strconv.Atoi: parsing \"-\": "
     "invalid syntax"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/l/1\",\"path\":\"/spec/l/-\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - \"y\"\n  m:\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/l/1\",\"path\":\"/spec/l/9\"}]",
     NULL,
     "error while adding value during copy: Unable to access invalid index: 9: "
     "invalid index referenced"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/m\",\"path\":\"/spec/m/self\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n    "
     "self:\n      k: v\n  \"n\": null\n",
     NULL},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/m\",\"path\":\"/nope/x\"}]", NULL,
     "copy operation does not apply: doc is missing destination path: /nope/x: "
     "missing value"},
    {0,
     "[{\"op\":\"copy\",\"from\":\"/spec/m\",\"path\":\"/spec/"
     "m3\"},{\"op\":\"add\",\"path\":\"/spec/m3/k\",\"value\":\"changed\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  m3:\n    "
     "k: changed\n  \"n\": null\n",
     NULL},
    /* test: scalars compared by JSON text, maps by keys, null == missing */
    {1, "[{\"op\":\"test\",\"path\":\"/spec/f\",\"value\":1.5}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/f\",\"value\":1.50}]", NULL,
     "testing value /spec/f failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/f\",\"value\":\"1.5\"}]", NULL,
     "testing value /spec/f failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/fl\",\"value\":100}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/fl\",\"value\":100.0}]", NULL,
     "testing value /spec/fl failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/fl\",\"value\":1e2}]", NULL,
     "testing value /spec/fl failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/neg\",\"value\":-0}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/neg\",\"value\":0}]", NULL,
     "testing value /spec/neg failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/h\",\"value\":\"a<b&c\"}]", NULL,
     "testing value /spec/h failed: test failed"},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/h\",\"value\":\"a\\u003cb\\u0026c\"}]",
     NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/u\",\"value\":\"A\"}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/u\",\"value\":\"\\u0041\"}]", NULL,
     "testing value /spec/u failed: test failed"},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"z\":null,\"y\":[true,\"s\"],\"x\":1}}]",
     NULL, NULL},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/obj\",\"value\":{ \"z\" : null , "
     "\"y\" : [ true , \"s\" ] , \"x\" : 1 }}]",
     NULL, NULL},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"\\u0078\":1,\"y\":[true,\"s\"],\"z\":null}}]",
     NULL, NULL},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"x\":1.0,\"y\":[true,\"s\"],\"z\":null}}]",
     NULL, "testing value /spec/obj failed: test failed"},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"y\":[true,\"s\"],\"x\":1}}]",
     NULL, "testing value /spec/obj failed: test failed"},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"x\":1,\"y\":[true,\"s\"],\"z\":0}}]",
     NULL, "testing value /spec/obj failed: test failed"},
    {1,
     "[{\"op\":\"test\",\"path\":\"/spec/"
     "obj\",\"value\":{\"x\":1,\"y\":[true,\"s\"],\"q\":null}}]",
     NULL, "testing value /spec/obj failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/obj/y\",\"value\":[true]}]", NULL,
     "testing value /spec/obj/y failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/obj/z\",\"value\":null}]", NULL,
     NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/missing\",\"value\":null}]", NULL,
     NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/missing\",\"value\":0}]", NULL,
     "testing value /spec/missing failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/f\"}]", NULL,
     "testing value /spec/f failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/e\",\"value\":{}}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/e\",\"value\":[]}]", NULL,
     "testing value /spec/e failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl/0\",\"value\":1}]", NULL, NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl/-1\",\"value\":null}]", NULL,
     NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl/2\",\"value\":1}]", NULL,
     "error in test for path: '/spec/nl/2': Unable to access invalid index: 2: "
     "invalid index referenced"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl/-\",\"value\":1}]", NULL,
     "error in test for path: '/spec/nl/-': strconv.Atoi: parsing \"-\": "
     "invalid syntax"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nope/x\",\"value\":1}]", NULL,
     "test operation does not apply: is missing path: /spec/nope/x: missing "
     "value"},
    {1, "[{\"op\":\"test\",\"path\":\"\",\"value\":{}}]", NULL,
     "testing value  failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"\",\"value\":5}]", NULL,
     "testing value  failed: test failed"},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/x~1y\",\"value\":\"slash\"}]", NULL,
     NULL},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/x~0y\",\"value\":\"tilde\"}]", NULL,
     NULL},
    {1,
     "[{\"op\":\"copy\",\"from\":\"/spec/obj\",\"path\":\"/spec/"
     "o2\"},{\"op\":\"test\",\"path\":\"/spec/o2/y/1\",\"value\":\"s\"}]",
     "spec:\n  e: {}\n  f: 1.5\n  fl: 100\n  h: a<b&c\n  neg: 0\n  nl:\n  - "
     "1\n  - null\n  o2:\n    x: 1\n    \"y\":\n    - true\n    - s\n    z: "
     "null\n  obj:\n    x: 1\n    \"y\":\n    - true\n    - s\n    z: null\n  "
     "u: A\n  x/y: slash\n  x~y: tilde\n",
     NULL},
    /* pointers: ~1 and ~0 in one pass, the first segment ignored */
    {0, "[{\"op\":\"add\",\"path\":\"/spec/x~1y\",\"value\":\"S\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  x/y: S\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/x~0y\",\"value\":\"T\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  x~y: T\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/~01\",\"value\":\"U\"}]",
     "spec:\n  ~1: U\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/~10\",\"value\":\"U\"}]",
     "spec:\n  /0: U\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/~2\",\"value\":\"V\"}]",
     "spec:\n  ~2: V\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/a~\",\"value\":\"W\"}]",
     "spec:\n  a: 1\n  a~: W\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0, "[{\"op\":\"add\",\"path\":\"x/spec/b\",\"value\":1}]",
     "spec:\n  a: 1\n  b: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "\303\251\",\"value\":{\"\303\274\":[1,2]}},{\"op\":\"copy\",\"from\":\"/"
     "spec/\303\251/\303\274/1\",\"path\":\"/spec/\303\251/\303\274/0\"}]",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  \303\251:\n    \303\274:\n    - 2\n    - 1\n    - 2\n",
     NULL},
    /* op, path, from as evanphx decodes them; other members ignored */
    {0, "[{\"op\":\"foo\",\"path\":\"/spec/x\"}]", NULL,
     "Unexpected kind: foo"},
    {0, "[{\"op\":\"ADD\",\"path\":\"/spec/x\",\"value\":1}]", NULL,
     "Unexpected kind: ADD"},
    {0, "[{\"op\":5,\"path\":\"/spec/x\"}]", NULL, "Unexpected kind: unknown"},
    {0, "[{\"path\":\"/spec/x\"}]", NULL, "Unexpected kind: unknown"},
    {0, "[null]", NULL, "Unexpected kind: unknown"},
    {0, "[{\"op\":null,\"path\":\"/spec/x\"}]", NULL,
     "Unexpected kind: unknown"},
    {0, "[{\"op\":\"add\",\"path\":5,\"value\":1}]", NULL,
     "add operation failed to decode path: missing value"},
    {0, "[{\"op\":\"add\",\"path\":null,\"value\":1}]", NULL,
     "add operation failed to decode path: missing value"},
    {0, "[{\"op\":\"replace\",\"path\":5,\"value\":1}]", NULL,
     "replace operation failed to decode path: json: cannot unmarshal number "
     "into Go value of type string"},
    {0, "[{\"op\":\"replace\",\"path\":true,\"value\":1}]", NULL,
     "replace operation failed to decode path: json: cannot unmarshal bool "
     "into Go value of type string"},
    {0, "[{\"op\":\"test\",\"path\":{},\"value\":1}]", NULL,
     "test operation failed to decode path: json: cannot unmarshal object into "
     "Go value of type string"},
    {0, "[{\"op\":\"move\",\"from\":[],\"path\":\"/spec/x\"}]", NULL,
     "move operation failed to decode from: json: cannot unmarshal array into "
     "Go value of type string"},
    {0, "[{\"op\":\"add\",\"value\":1}]", NULL,
     "add operation failed to decode path: missing value"},
    {0, "[{\"op\":\"remove\"}]", NULL,
     "remove operation failed to decode path: missing value"},
    {0, "[{\"op\":\"replace\",\"value\":1}]", NULL,
     "replace operation failed to decode path: operation missing path field: "
     "missing value"},
    {0, "[{\"op\":\"test\",\"value\":1}]", NULL,
     "test operation failed to decode path: operation missing path field: "
     "missing value"},
    {0, "[{\"op\":\"move\",\"path\":\"/spec/x\"}]", NULL,
     "move operation failed to decode from: operation, missing from field: "
     "missing value"},
    {0, "[{\"op\":\"copy\",\"path\":\"/spec/x\"}]", NULL,
     "copy operation failed to decode from: operation, missing from field: "
     "missing value"},
    {0, "[{\"op\":\"move\",\"from\":\"/spec/a\"}]", NULL,
     "move operation failed to decode path: operation missing path field: "
     "missing value"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/a\"}]", NULL,
     "copy operation failed to decode path: missing value"},
    {0, "[{\"op\":\"copy\",\"from\":\"/spec/a\",\"path\":7}]", NULL,
     "copy operation failed to decode path: missing value"},
    {0, "[{\"op\":\"add\",\"path\":\"/spec/b\",\"value\":1,\"extra\":true}]",
     "spec:\n  a: 1\n  b: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  "
     "\"n\": null\n",
     NULL},
    {0,
     "[{\"op\":\"add\",\"path\":\"/spec/"
     "b\",\"value\":1},{\"op\":\"bad\"},{\"op\":\"add\",\"path\":\"/spec/"
     "c\",\"value\":1}]",
     NULL, "Unexpected kind: bad"},
    /* YAML text read as goyaml.v2 (booleans, timestamps, last key wins) */
    {0,
     "- op: add\n  path: /spec/v\n  value: [y, Y, yes, n, NO, 'yes', \"on\", "
     "ON, off, True, FALSE, !!str yes]\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n  - true\n  - true\n  - true\n  - false\n  - false\n  - "
     "\"yes\"\n  - \"on\"\n  - true\n  - false\n  - true\n  - false\n  - "
     "\"yes\"\n",
     NULL},
    {0, "- op: add\n  path: /spec/v\n  value: {x: 1, y: 2, n: 3, 'no': 4}\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n    \"false\": 3\n    \"no\": 4\n    \"true\": 2\n    x: 1\n",
     NULL},
    {0,
     "- op: add\n  path: /spec/v\n  value:\n    f1: 1.0\n    f2: 1e3\n    f3: "
     "1.5e-7\n    oct: 0755\n    hex: 0x1F\n    under: 1_000\n    bin: 0b101\n "
     "   sexa: 1:20\n    tilde: ~\n    empty:\n    big: 12345678901234567890\n "
     "   html: a<b&c\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n    big: 12345678901234567000\n    bin: 5\n    empty: null\n "
     "   f1: 1\n    f2: 1000\n    f3: 1.5e-07\n    hex: 31\n    html: a<b&c\n  "
     "  oct: 493\n    sexa: \"1:20\"\n    tilde: null\n    under: 1000\n",
     NULL},
    {0,
     "- op: add\n  path: /spec/v\n  value: [2001-12-14, \"2001-12-15\", "
     "2001-12-16T01:02:03+01:00, 2001-12-14t21:59:43.10-05:00]\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n  - \"2001-12-14\"\n  - \"2001-12-15\"\n  - "
     "\"2001-12-16T01:02:03+01:00\"\n  - \"2001-12-14t21:59:43.10-05:00\"\n",
     NULL},
    {0,
     "- op: add\n  path: /spec/v\n  value: 2001-12-14 21:59:43.10 -5   # "
     "comment\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v: 2001-12-14 21:59:43.10 -5\n",
     NULL},
    {0,
     "- op: add\n  path: /spec/v\n  value: {2001-12-14: a, 2001-12-15 : b}\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n    \"2001-12-14\": a\n    \"2001-12-15\": b\n",
     NULL},
    {0, "- op: add\n  path: /spec/v\n  value: |\n    yes\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v: |\n    yes\n",
     NULL},
    {0, "- op: add\n  path: /spec/v\n  value: yes please\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v: yes please\n",
     NULL},
    {0,
     "- op: replace\n  path: /spec/a\n  value: &a {k: yes}\n- op: add\n  path: "
     "/spec/q\n  value: *a\n",
     "spec:\n  a:\n    k: true\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: "
     "v\n  \"n\": null\n  q:\n    k: true\n",
     NULL},
    {0, "- op: add\n  path: /spec/v\n  value:\n    <<: {a: 1}\n    b: 2\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n    a: 1\n    b: 2\n",
     NULL},
    {0, "- {op: add, path: /spec/z, value: 1, value: 2}\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  z: 2\n",
     NULL},
    {0,
     "- op: add\n  path: /spec/z\n  value: 1\n---\n- op: add\n  path: "
     "/spec/q\n  value: 1\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  z: 1\n",
     NULL},
    {0, "- op: add\r\n  path: /spec/v\r\n  value: [n, '\303\251', y]\r\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  v:\n  - false\n  - \303\251\n  - true\n",
     NULL},
    {0, "- op: add\n  path: /spec/\303\251\n  value: {\303\251: y, n: 1}\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  m:\n    k: v\n  \"n\": "
     "null\n  \303\251:\n    \"false\": 1\n    \303\251: true\n",
     NULL},
    {0, " [{\"op\":\"test\",\"path\":\"/spec/a\",\"value\":1.0}]", NULL, NULL},
    {0, "- op: test\n  path: /spec/a\n  value: 1.0\n", NULL, NULL},
    {0, "- op: remove\n  path: /spec/missing\n", NULL,
     "error in remove for path: '/spec/missing': Unable to remove nonexistent "
     "key: missing: missing value"},
    {0, "- op: add\n  path: /spec/l/-\n  value: off\n",
     "spec:\n  a: 1\n  l:\n  - x\n  - \"y\"\n  - z\n  - false\n  m:\n    k: "
     "v\n  \"n\": null\n",
     NULL},
    /* test with YAML text: values compared in Go's encoding */
    {1, "- op: test\n  path: /spec/h\n  value: a<b&c\n", NULL, NULL},
    {1, "- op: test\n  path: /spec/fl\n  value: 100.0\n", NULL, NULL},
    {1, "- op: test\n  path: /spec/u\n  value: \"\\u0041\"\n", NULL, NULL},
    {1, "- op: test\n  path: /spec/obj\n  value: {x: 1, y: [yes, s], z: ~}\n",
     NULL, "testing value /spec/obj failed: test failed"},
    /* kubectl panics (nil pointer dereference): an error here */
    {1, "[{\"op\":\"test\",\"path\":\"/spec/obj/z\"}]", NULL, CRASH},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/missing\"}]", NULL, CRASH},
    {1, "[{\"op\":\"test\",\"path\":\"\"}]", NULL, CRASH},
    {1, "[{\"op\":\"replace\",\"path\":\"\"}]", NULL, CRASH},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl\",\"value\":[1,null]}]", NULL,
     CRASH},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/nl\",\"value\":[1,2]}]", NULL,
     CRASH},
    {1, "[{\"op\":\"test\",\"path\":\"/spec/obj/y\",\"value\":[true,null]}]",
     NULL, CRASH},
    /* the JSON round trip: integers beyond 2^53 come back as floats */
    {2, "[{\"op\":\"test\",\"path\":\"/spec/i1\",\"value\":9007199254740992}]",
     "spec:\n  f: 1e+21\n  i1: 9007199254740992\n  i2: 9007199254740992\n  i3: "
     "-9007199254740992\n  p60: 1152921504606847000\n  u: "
     "12345678901234567000\n",
     NULL},
    {2, "[{\"op\":\"test\",\"path\":\"/spec/i2\",\"value\":9007199254740993}]",
     "spec:\n  f: 1e+21\n  i1: 9007199254740992\n  i2: 9007199254740992\n  i3: "
     "-9007199254740992\n  p60: 1152921504606847000\n  u: "
     "12345678901234567000\n",
     NULL},
    {2,
     "[{\"op\":\"test\",\"path\":\"/spec/u\",\"value\":12345678901234567890}]",
     "spec:\n  f: 1e+21\n  i1: 9007199254740992\n  i2: 9007199254740992\n  i3: "
     "-9007199254740992\n  p60: 1152921504606847000\n  u: "
     "12345678901234567000\n",
     NULL},
    {2, "[{\"op\":\"test\",\"path\":\"/spec/f\",\"value\":1e+21}]",
     "spec:\n  f: 1e+21\n  i1: 9007199254740992\n  i2: 9007199254740992\n  i3: "
     "-9007199254740992\n  p60: 1152921504606847000\n  u: "
     "12345678901234567000\n",
     NULL},
    {2, "[{\"op\":\"test\",\"path\":\"/spec/f\",\"value\":1e21}]", NULL,
     "testing value /spec/f failed: test failed"},
    {2, "[{\"op\":\"add\",\"path\":\"/spec/x\",\"value\":9007199254740993}]",
     "spec:\n  f: 1e+21\n  i1: 9007199254740992\n  i2: 9007199254740992\n  i3: "
     "-9007199254740992\n  p60: 1152921504606847000\n  u: "
     "12345678901234567000\n  x: 9007199254740992\n",
     NULL},
};

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && memcmp(s + n - m, tail, m) == 0;
}

static ga_node *load(const char *yaml)
{
	ga_yaml_opts opts = GA_YAML_OPTS_INIT;
	ga_node *docs = NULL, *doc = NULL;

	opts.flags = GA_YAML_RESOURCES;
	CHECK_OK(ga_yaml_parse(&docs, yaml, strlen(yaml), "res.yaml", &opts));
	if (docs)
		doc = ga_node_list_remove(docs, 0);
	ga_node_free(docs);
	return doc;
}

/* The object as kubectl prints it; the caller frees it with ga_free(). */
static char *print(const ga_node *doc)
{
	ga_buf out = GA_BUF_INIT(1 << 20);

	CHECK_OK(ga_yaml_emit(&out, doc));
	return ga_buf_detach(&out);
}

static ga_node *ops_of(const char *text)
{
	ga_node *ops = NULL;

	CHECK_OK(
	    ga_kust__json6902_parse(&ops, text, strlen(text), "patch.txt"));
	return ops;
}

/* Run one row; returns whether it matched kubectl. */
static bool run_case(const struct tcase *t)
{
	ga_node *doc = load(bases[t->base]), *ops = NULL;
	char *before = print(doc), *after = NULL, *want = NULL;
	const char *msg;
	int err;
	bool ok;

	err = ga_kust__json6902_parse(&ops, t->patch, strlen(t->patch),
	                              "patch.txt");
	if (!err)
		err = ga_kust__json6902_apply(&doc, ops, "patch.txt");
	msg = ga_error_last()->message;
	after = print(doc);
	if (t->err) {
		/* Failures leave the object as it was. */
		ok = err == GA_EINVALID && ends_with(msg, t->err) &&
		     strncmp(msg, "patch.txt: ", 11) == 0 &&
		     strcmp(before, after) == 0;
	} else {
		ga_buf w = GA_BUF_INIT(1 << 20);

		if (!t->out)
			(void)ga_buf_puts(&w, before);
		else if (strncmp(t->out, "spec:\n", 6) == 0)
			(void)ga_buf_printf(&w, "%s%s", HEADER, t->out);
		else
			(void)ga_buf_puts(&w, t->out);
		want = ga_buf_detach(&w);
		ok = err == 0 && want && strcmp(after, want) == 0;
	}
	if (!ok) {
		th_diag("patch", t->patch);
		th_diag("error", err ? msg : "(none)");
		th_diag("got  ", after);
		th_diag("want ", t->err ? t->err : want);
	}
	ga_free(before);
	ga_free(after);
	ga_free(want);
	ga_node_free(ops);
	ga_node_free(doc);
	return ok;
}

static void test_kubectl_cases(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]), failed = 0;

	for (size_t i = 0; i < n; i++) {
		if (!run_case(&cases[i])) {
			printf("# case %zu differs from kubectl\n", i);
			failed++;
		}
	}
	printf("# %zu kubectl cases, %zu differ\n", n, failed);
	CHECK_EQ_INT(failed, 0);
}

static const struct {
	const char *text;
	const char *err;
} parse_errors[] = {
    {"{\"op\":\"add\"}",
     "json: cannot unmarshal object into Go value of type jsonpatch.Patch"},
    {"op: add\n",
     "json: cannot unmarshal object into Go value of type jsonpatch.Patch"},
    {"\"s\"\n",
     "json: cannot unmarshal string into Go value of type jsonpatch.Patch"},
    {"5\n",
     "json: cannot unmarshal number into Go value of type jsonpatch.Patch"},
    {"true\n",
     "json: cannot unmarshal bool into Go value of type jsonpatch.Patch"},
    {"[1]", "json: cannot unmarshal number into Go value of type "
            "jsonpatch.Operation"},
    {"[\"a\"]", "json: cannot unmarshal string into Go value of type "
                "jsonpatch.Operation"},
    {"[[1]]", "json: cannot unmarshal array into Go value of type "
              "jsonpatch.Operation"},
    {"[true]", "json: cannot unmarshal bool into Go value of type "
               "jsonpatch.Operation"},
    {"- a\n", "json: cannot unmarshal string into Go value of type "
              "jsonpatch.Operation"},
    {"- [a]\n", "json: cannot unmarshal array into Go value of type "
                "jsonpatch.Operation"},
    {"- op: add\n  path: /spec/v\n  value: .inf\n",
     "json: unsupported value: +Inf"},
    {"- op: add\n  path: /spec/v\n  value: [-.Inf]\n",
     "json: unsupported value: -Inf"},
    {"- op: add\n  path: /spec/v\n  value: {a: .nan}\n",
     "json: unsupported value: NaN"},
};

static void test_parse_errors(void)
{
	for (size_t i = 0; i < sizeof(parse_errors) / sizeof(parse_errors[0]);
	     i++) {
		const char *text = parse_errors[i].text;
		ga_node *ops = NULL;

		CHECK_ERR(
		    ga_kust__json6902_parse(&ops, text, strlen(text), "p.yaml"),
		    GA_EINVALID);
		CHECK(ops == NULL);
		CHECK(ends_with(ga_error_last()->message, parse_errors[i].err));
		CHECK(strncmp(ga_error_last()->message, "p.yaml: ", 8) == 0);
	}
	/* Syntax errors keep the parsers' own messages, with the name. */
	for (size_t i = 0; i < 3; i++) {
		static const char *const bad[] = {"[{", "[1,]", "a: [\n"};
		ga_node *ops = NULL;

		CHECK_ERR(ga_kust__json6902_parse(&ops, bad[i], strlen(bad[i]),
		                                  "p.yaml"),
		          GA_EINVALID);
		CHECK(strstr(ga_error_last()->message, "p.yaml") != NULL);
	}
}

/*
 * "[]", "null" and texts without a document decode to no operations (kubectl:
 * "patch appears to be empty", which its callers report).  Operations keep
 * only what evanphx reads, plus the value as written for JSON text.
 */
static void test_parse_shapes(void)
{
	static const char *const empty[] = {"[]",    "null",  "",
	                                    "# c\n", "---\n", " []"};
	const ga_node *op;
	ga_node *ops;

	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		ops = ops_of(empty[i]);
		CHECK(ops && ga_node_type_of(ops) == GA_NODE_LIST);
		CHECK_EQ_INT(ga_node_count(ops), 0);
		ga_node_free(ops);
	}
	ops = ops_of("[{\"op\":\"add\",\"path\":\"/a\",\"value\":1.0,\"x\":1},"
	             "{\"op\":\"test\",\"path\":null,\"from\":null,"
	             "\"value\":null},null]");
	CHECK_EQ_INT(ga_node_count(ops), 3);
	op = ga_node_list_get(ops, 0);
	CHECK_EQ_INT(ga_node_count(op), 4);
	CHECK(ga_node_map_get(op, "x") == NULL);
	CHECK_EQ_STR(
	    ga_node_str(ga_node_map_get(op, GA_KUST_JSON6902_TEXT_KEY)), "1.0");
	op = ga_node_list_get(ops, 1);
	CHECK(ga_node_map_get(op, "path") == NULL);
	CHECK(ga_node_map_get(op, "from") == NULL);
	CHECK_EQ_INT(ga_node_type_of(ga_node_map_get(op, "value")),
	             GA_NODE_NULL);
	CHECK_EQ_INT(ga_node_count(ga_node_list_get(ops, 2)), 0);
	ga_node_free(ops);
	/* YAML text carries no token texts: Go re-encodes it anyway. */
	ops = ops_of("- {op: add, path: /a, value: 1.0}\n");
	op = ga_node_list_get(ops, 0);
	CHECK_EQ_INT(ga_node_count(op), 3);
	CHECK_EQ_INT(ga_node_type_of(ga_node_map_get(op, "value")),
	             GA_NODE_FLOAT);
	ga_node_free(ops);
	CHECK_ERR(ga_kust__json6902_parse(NULL, "[]", 2, NULL), GA_EINVALID);
}

/* Messages name the patch and the index of the failing operation. */
static void test_messages(void)
{
	ga_node *doc = load(bases[0]);
	ga_node *ops =
	    ops_of("[{\"op\":\"add\",\"path\":\"/spec/b\",\"value\":1},"
	           "{\"op\":\"test\",\"path\":\"/spec/b\",\"value\":1},"
	           "{\"op\":\"add\",\"path\":\"/spec/no/deep\"}]");

	CHECK_ERR(ga_kust__json6902_apply(&doc, ops, "overlay/p.yaml"),
	          GA_EINVALID);
	CHECK_EQ_STR(ga_error_last()->message,
	             "overlay/p.yaml: op 2: add operation does not apply: doc "
	             "is missing path: \"/spec/no/deep\": missing value");
	CHECK(ga_node_map_get(ga_node_map_get(doc, "spec"), "b") == NULL);
	CHECK_ERR(ga_kust__json6902_apply(&doc, ops, NULL), GA_EINVALID);
	CHECK(strncmp(ga_error_last()->message, "patch: op 2: ", 13) == 0);
	ga_node_free(ops);
	ga_node_free(doc);
}

/* Parsed operations are reusable: kustomize applies one patch per target. */
static void test_reuse_and_arguments(void)
{
	ga_node *a = load(bases[0]), *b = load(bases[1]), *list = NULL;
	ga_node *ops = ops_of("- op: add\n  path: /spec/added\n  value: [1]\n");

	CHECK_OK(ga_kust__json6902_apply(&a, ops, "p"));
	CHECK_OK(ga_kust__json6902_apply(&b, ops, "p"));
	CHECK(ga_node_map_get(ga_node_map_get(a, "spec"), "added"));
	CHECK(ga_node_map_get(ga_node_map_get(b, "spec"), "added"));
	CHECK_ERR(ga_kust__json6902_apply(NULL, ops, "p"), GA_EINVALID);
	CHECK_ERR(ga_kust__json6902_apply(&a, NULL, "p"), GA_EINVALID);
	CHECK_ERR(ga_kust__json6902_apply(&a, a, "p"), GA_EINVALID);
	CHECK_OK(ga_node_new_list(&list));
	CHECK_ERR(ga_kust__json6902_apply(&list, ops, "p"), GA_EINVALID);
	ga_node_free(list);
	ga_node_free(ops);
	ga_node_free(a);
	ga_node_free(b);
}

/*
 * Operations built in memory carry no token text: test then compares the
 * canonical JSON texts, so 1.0 and 1 are equal.
 */
static void test_ops_without_text(void)
{
	ga_node *doc = load(bases[0]), *ops = NULL, *op = NULL, *v = NULL,
	        *s = NULL, *p = NULL;

	CHECK_OK(ga_node_new_list(&ops));
	CHECK_OK(ga_node_new_map(&op));
	CHECK_OK(ga_node_new_string(&s, "test", 4));
	CHECK_OK(ga_node_map_set_take(op, "op", s));
	CHECK_OK(ga_node_new_string(&p, "/spec/a", 7));
	CHECK_OK(ga_node_map_set_take(op, "path", p));
	CHECK_OK(ga_node_new_float(&v, 1.0));
	CHECK_OK(ga_node_map_set_take(op, "value", v));
	CHECK_OK(ga_node_list_append_take(ops, op));
	CHECK_OK(ga_kust__json6902_apply(&doc, ops, "mem"));
	ga_node_free(ops);
	ga_node_free(doc);
}

/* Build "[op, op, ...]" with @n copies of @op. */
static char *repeat_ops(const char *op, size_t n)
{
	ga_buf b = GA_BUF_INIT(64u << 20);

	(void)ga_buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++)
		(void)ga_buf_printf(&b, "%s%s", i ? "," : "", op);
	(void)ga_buf_putc(&b, ']');
	return ga_buf_detach(&b);
}

static void test_limits(void)
{
	char *text = repeat_ops("{\"op\":\"test\",\"path\":\"/a\"}",
	                        GA_KUST_JSON6902_MAX_OPS + 1);
	ga_node *ops = NULL, *doc = load(bases[0]), *one = NULL;
	char *before = print(doc), *after;
	ga_buf b = GA_BUF_INIT(1 << 20);

	CHECK_ERR(ga_kust__json6902_parse(&ops, text, strlen(text), "p"),
	          GA_ELIMIT);
	ga_free(text);
	/* The same bound holds for lists built in memory. */
	CHECK_OK(ga_node_new_list(&ops));
	for (size_t i = 0; i <= GA_KUST_JSON6902_MAX_OPS; i++) {
		CHECK_OK(ga_node_new_map(&one));
		CHECK_OK(ga_node_list_append_take(ops, one));
	}
	CHECK_ERR(ga_kust__json6902_apply(&doc, ops, "p"), GA_ELIMIT);
	ga_node_free(ops);

	/* Pointers deeper than the cap, at parse and at apply time. */
	(void)ga_buf_puts(&b, "[{\"op\":\"add\",\"path\":\"");
	for (int i = 0; i <= GA_KUST_JSON6902_MAX_DEPTH; i++)
		(void)ga_buf_puts(&b, "/a");
	(void)ga_buf_puts(&b, "\",\"value\":1}]");
	CHECK_ERR(ga_kust__json6902_parse(&ops, b.ptr, b.size, "p"), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "path pointer deeper") != NULL);
	ga_buf_clear(&b);

	/* Each copy of a list into itself doubles it: the work cap. */
	text = repeat_ops(
	    "{\"op\":\"copy\",\"from\":\"/spec/l\",\"path\":\"/spec/l/-\"}",
	    40);
	ops = ops_of(text);
	CHECK_ERR(ga_kust__json6902_apply(&doc, ops, "p"), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "visits more than") != NULL);
	ga_node_free(ops);
	ga_free(text);

	/* Copying a 400-deep value 800 levels down nests past the cap. */
	(void)ga_buf_puts(&b,
	                  "[{\"op\":\"add\",\"path\":\"/spec/d\",\"value\":");
	for (int i = 0; i < 400; i++)
		(void)ga_buf_puts(&b, "{\"a\":");
	(void)ga_buf_puts(&b, "1");
	for (int i = 0; i < 400; i++)
		(void)ga_buf_putc(&b, '}');
	(void)ga_buf_puts(&b,
	                  "},{\"op\":\"copy\",\"from\":\"/spec/d\",\"path\":"
	                  "\"/spec/d");
	for (int i = 0; i < 399; i++)
		(void)ga_buf_puts(&b, "/a");
	(void)ga_buf_puts(&b, "\"},{\"op\":\"copy\",\"from\":\"/spec/d\","
	                      "\"path\":\"/spec/d");
	for (int i = 0; i < 799; i++)
		(void)ga_buf_puts(&b, "/a");
	(void)ga_buf_puts(&b, "\"}]");
	ops = ops_of(b.ptr);
	CHECK_ERR(ga_kust__json6902_apply(&doc, ops, "p"), GA_ELIMIT);
	CHECK(strstr(ga_error_last()->message, "op 2: the result would nest "
	                                       "deeper than 1000 levels"));
	ga_node_free(ops);
	after = print(doc);
	CHECK_EQ_STR(after, before);
	ga_free(after);
	ga_free(before);
	ga_buf_dispose(&b);
	ga_node_free(doc);
}

/*
 * Every allocation of parse and apply fails once in turn: each run ends in
 * GA_ENOMEM with the object untouched, or succeeds, and leaks nothing.
 */
static void oom_walk(const char *text)
{
	ga_node *doc = load(bases[1]), *ops = NULL;
	char *before = print(doc), *after;
	unsigned long k;
	int err;

	for (k = 1;; k++) {
		ga_alloc__fail_after(k, false);
		err = ga_kust__json6902_parse(&ops, text, strlen(text), "oom");
		if (!err)
			err = ga_kust__json6902_apply(&doc, ops, "oom");
		ga_alloc__fail_after(0, false);
		ga_node_free(ops);
		ops = NULL;
		if (!err)
			break;
		CHECK_EQ_INT(err, GA_ENOMEM);
		after = print(doc);
		CHECK_EQ_STR(after, before);
		ga_free(after);
	}
	CHECK(k > 10);
	after = print(doc);
	CHECK(strcmp(after, before) != 0);
	ga_free(after);
	ga_free(before);
	ga_node_free(doc);
}

static void test_oom(void)
{
	oom_walk("[{\"op\":\"add\",\"path\":\"/spec/a\",\"value\":{\"b\":[1,"
	         "2.5,\"\\u0041\"]}},"
	         "{\"op\":\"test\",\"path\":\"/spec/a\",\"value\":{\"b\":[1,"
	         "2.5,\"A\"]}},"
	         "{\"op\":\"copy\",\"from\":\"/spec/a\",\"path\":\"/spec/c\"},"
	         "{\"op\":\"move\",\"from\":\"/spec/c/b/0\",\"path\":"
	         "\"/spec/c/b/-\"},"
	         "{\"op\":\"replace\",\"path\":\"/spec/obj/y/0\",\"value\":2},"
	         "{\"op\":\"add\",\"path\":\"/spec/k\\u0000\",\"value\":1},"
	         "{\"op\":\"remove\",\"path\":\"/spec/k\\u0000\"},"
	         "{\"op\":\"add\",\"path\":\"/spec/big\","
	         "\"value\":9007199254740993},"
	         "{\"op\":\"remove\",\"path\":\"/spec/h\"}]");
	oom_walk("- op: add\n  path: /spec/v\n  value: {y: yes, d: 2001-12-14, "
	         "n: [no, 1.5]}\n"
	         "- op: test\n  path: /spec/v/true\n  value: true\n");
}

int main(void)
{
	RUN(test_kubectl_cases);
	RUN(test_parse_errors);
	RUN(test_parse_shapes);
	RUN(test_messages);
	RUN(test_reuse_and_arguments);
	RUN(test_ops_without_text);
	RUN(test_limits);
	RUN(test_oom);
	return DONE();
}
