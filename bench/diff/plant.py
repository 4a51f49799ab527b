#!/usr/bin/env python3
"""Plants ten known edits in a text; writes the edited text and what was planted (JSON)."""
import json, random, sys
src, dst, expect = sys.argv[1:4]
text = open(src, encoding="utf-8").read()
paras = text.split("\n\n")
rnd = random.Random(2020)
edits = []
long_paras = [i for i, p in enumerate(paras) if len(p.split()) >= 40]
picks = rnd.sample(long_paras, 10)
for n, i in enumerate(picks[:8]):
    w = paras[i].split(" ")
    k = rnd.randrange(5, len(w) - 5)
    kind = ["replace", "insert", "delete", "negation", "number", "replace", "insert", "delete"][n]
    if kind == "replace":
        edits.append({"kind": kind, "old": w[k], "new": "redlined", "words": 2}); w[k] = "redlined"
    elif kind == "insert":
        edits.append({"kind": kind, "new": "entirely new words", "words": 3}); w.insert(k, "entirely new words")
    elif kind == "delete":
        edits.append({"kind": kind, "old": " ".join(w[k:k + 3]), "words": 3}); del w[k:k + 3]
    elif kind == "negation":
        edits.append({"kind": kind, "new": "not", "words": 1}); w.insert(k, "not")
    elif kind == "number":
        edits.append({"kind": kind, "new": "4242", "words": 2}); w[k] = "4242"
    paras[i] = " ".join(w)
moved = []
for i in picks[8:]:
    moved.append(paras[i]); edits.append({"kind": "move", "words": len(paras[i].split())})
rest = [p for j, p in enumerate(paras) if j not in picks[8:]]
for p in moved:
    rest.insert(rnd.randrange(len(rest)), p)
open(dst, "w", encoding="utf-8").write("\n\n".join(rest))
json.dump(edits, open(expect, "w"))
