// The record format of this repository for Decap CMS ("weibao-yaml" in config.yml).
// Decap's built-in YAML writer follows YAML 1.2, where 08:30, yes or 2024-08-06 are plain text,
// and writes them unquoted; `weibao validate` reads YAML the 1.1 way many tools still do and
// rightly refuses them. This writer quotes every string YAML 1.1 would read as something else,
// keeps the field order of the form, writes short lists of words or numbers on one line as
// staff write them ([voice, sms]) so a pull request shows only what changed, and never folds
// long lines.
import { Document, isScalar, isSeq, parse, visit } from "./yaml/index.js";

function ordered(data, keys) {
  const out = {};
  for (const key of keys) if (key in data) out[key] = data[key];
  for (const key of Object.keys(data)) if (!(key in out)) out[key] = data[key];
  return out;
}

function toFile(data, sortedKeys = []) {
  const doc = new Document(ordered(data, sortedKeys), { version: "1.1" });
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.length > 0 && node.items.every(
        (item) => isScalar(item) && !String(item.value).includes("\n"))) {
        node.flow = true;
      }
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false });
}

window.CMS.registerCustomFormat("weibao-yaml", "yaml", {
  fromFile: (content) => parse(content, { version: "1.2" }) ?? {},
  toFile,
});
window.CMS.init();
