#!/usr/bin/env python3
"""Checks redline's JSON against the planted edits: every edit found, words marked <= 1.1x planted, moves as moves."""
import json, sys
edits = json.load(open(sys.argv[1])); rep = json.load(open(sys.argv[2]))
planted = sum(e["words"] for e in edits if e["kind"] != "move")
ch = rep["changes"]
marked = sum(c["old_words"] + c["new_words"] for c in ch if c["kind"] != "move")
moves = [c for c in ch if c["kind"] == "move"]
found = 0
for e in edits:
    if e["kind"] == "move":
        continue
    want = e.get("new") or e.get("old")
    ok = any(want.split()[0] in (c["new"] + " " + c["old"]) for c in ch if c["kind"] != "move")
    found += ok
    if not ok:
        print("  not found:", e)
print(f"edits found: {found}/8 word edits, moves reported: {len(moves)} (planted 2 paragraphs)")
print(f"words marked: {marked} for {planted} planted ({marked / planted:.2f}x; goal <= 1.1x)")
print(f"moved words: {rep['stats']['moved']} (planted {sum(e['words'] for e in edits if e['kind']=='move')})")
