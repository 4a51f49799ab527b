#!/usr/bin/env python3
"""Checks redline's JSON against the planted edits: every edit found, words
marked <= 1.1x planted, the moved paragraphs reported as moves. A moved
paragraph may come out as the text around it moving the other way (the
alignment keeps the larger part in place), so the check is that no moved
word is marked inserted or deleted (the 1.1x bound covers that) and that
there is a move for each moved paragraph at least."""
import json
import sys

edits = json.load(open(sys.argv[1]))
rep = json.load(open(sys.argv[2]))
ch = rep["changes"]
word_edits = [e for e in edits if e["kind"] != "move"]
planted = sum(e["words"] for e in word_edits)
planted_moves = [e for e in edits if e["kind"] == "move"]
marked = sum(c["old_words"] + c["new_words"] for c in ch if c["kind"] != "move")
moves = [c for c in ch if c["kind"] == "move"]
found = 0
for e in word_edits:
    want = e.get("new") or e.get("old")
    ok = any(want.split()[0] in (c["new"] + " " + c["old"]) for c in ch if c["kind"] != "move")
    found += ok
    if not ok:
        print("  not found:", e)
moved = rep["stats"]["moved"]
planted_moved = sum(e["words"] for e in planted_moves)
ok_found = found == len(word_edits)
ok_marked = marked <= 1.1 * planted
ok_moves = len(moves) >= len(planted_moves)
print(f"edits found: {found}/{len(word_edits)} word edits"
      f" [{'ok' if ok_found else 'FAIL'}]")
print(f"words marked: {marked} for {planted} planted ({marked / planted:.2f}x; goal <= 1.1x)"
      f" [{'ok' if ok_marked else 'FAIL'}]")
print(f"moves reported: {len(moves)} for {len(planted_moves)} moved paragraphs, "
      f"{moved} words moved ({planted_moved} whitespace words planted; ICU words leave out "
      f"table rules and punctuation)"
      f" [{'ok' if ok_moves else 'FAIL'}]")
sys.exit(0 if ok_found and ok_marked and ok_moves else 1)
