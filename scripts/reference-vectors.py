"""Independent reference for the JavaScript embedding pipeline.

Embeds the sentences in test/fixtures/reference-sentences.txt with the HuggingFace `tokenizers` library and
`onnxruntime` on the same ONNX file and tokenizer.json as models/, one sentence per forward pass (no padding),
CLS pooling and L2 normalisation, and writes test/fixtures/reference-vectors.json. Needs PyPI, so it is run by hand:

    pip install tokenizers==0.23.3 onnxruntime==1.32.0 numpy==2.4.6
    python3 scripts/reference-vectors.py
"""
import json
import pathlib

import numpy as np
import onnxruntime as ort
import tokenizers

root = pathlib.Path(__file__).resolve().parent.parent
manifest = json.loads((root / "models/manifest.json").read_text(encoding="utf-8"))
name = "bge-small-zh-v1.5"
model_dir = root / "models" / name
sentences = [
    line for line in (root / "test/fixtures/reference-sentences.txt").read_text(encoding="utf-8").splitlines() if line
]

tokenizer = tokenizers.Tokenizer.from_file(str(model_dir / "tokenizer.json"))
tokenizer.enable_truncation(max_length=manifest[name]["maxTokens"])
session = ort.InferenceSession(str(model_dir / manifest[name]["file"]), providers=["CPUExecutionProvider"])

rows = []
for sentence in sentences:
    enc = tokenizer.encode(sentence)
    feed = {
        "input_ids": np.array([enc.ids], dtype=np.int64),
        "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
        "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
    }
    hidden = session.run(["last_hidden_state"], feed)[0]
    cls = hidden[0, 0, :].astype(np.float64)
    cls /= np.linalg.norm(cls)
    rows.append({"text": sentence, "tokens": len(enc.ids), "vector": [round(float(x), 7) for x in cls]})

out = {
    "model": name,
    "sha256": manifest[name]["sha256"],
    "made_with": {"tokenizers": tokenizers.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__},
    "pooling": "cls, l2-normalised, one sentence per forward pass",
    "rows": rows,
}
(root / "test/fixtures/reference-vectors.json").write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote {len(rows)} reference vectors")
