#!/usr/bin/env python3
"""Expands the hand-written phrase specs in scripts/intent_data/<lang>.py into training lines.

Each spec module defines:
  FRAMES: request frames with "{vp}" ("I want to {vp}", "how can I {vp}?") shared by all intents
  INTENTS: {intent: {"vp": [verb phrases that fit every frame], "full": [whole utterances]}}
  EXTRA (optional): more "vp"/"full" per intent, added to INTENTS
  DEV (optional): the same shape (DEV_FRAMES + DEV_INTENTS) for the separate dev set, written
                  with other frames and other wording; never written into data/nlu/.

Output (deterministic, fixed seed):
  data/nlu/<lang>_cs.txt            "@intent" sections, one utterance per line (training)
  tests/fixtures/nlu/intent_dev_cs.tsv   lang<TAB>intent<TAB>text (dev, all languages)
Every line is a frame x verb phrase combination or a full utterance, optionally with light chat
noise (lowercase, no final punctuation, a typo, a greeting or "pls") and intent-neutral context
from wrappers.py ("sorry to bother you, ..."), as customers write.

Usage: scripts/intent_data/gen.py [LANG...]   (default: every spec present)
"""

import importlib.util
import pathlib
import random
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import oos  # noqa: E402
import pairs  # noqa: E402
import wrappers  # noqa: E402
ROOT = HERE.parent.parent
PER_INTENT = 150  # training lines per (language, intent), before de-duplication
UNSPACED = {"ja", "zh"}


def load(lang):
    spec = importlib.util.spec_from_file_location(f"spec_{lang}", HERE / f"{lang}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def typo(text, rng):
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.random()
    if kind < 0.4:
        w = w[:j] + w[j + 1:]  # dropped letter
    elif kind < 0.8:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # swapped letters
    else:
        w = w[:j] + w[j] + w[j:]  # doubled letter
    words[i] = w
    return " ".join(words)


def noisy(text, lang, noise, rng, wrap=(), wrap_long=()):
    if wrap or wrap_long:
        r = rng.random()
        if wrap_long and r < 0.08:
            w = rng.choice(wrap_long)
            # "{x}. Looking forward..." reads as a sentence: drop the request's own final mark.
            x = text.rstrip("?？!！。.") if re.search(r"\{x\}[.。]", w) else text
            text = w.replace("{x}", x)
        elif wrap and r < 0.28:
            text = rng.choice(wrap).replace("{x}", text)
    if lang in UNSPACED or lang == "ar":
        if rng.random() < 0.3:
            text = text.rstrip("?？!！。.")
        return text
    r = rng.random()
    if r < 0.35:
        text = text.lower()
    if rng.random() < 0.4:
        text = text.rstrip("?!.")
    if rng.random() < 0.2:
        text = typo(text, rng)
    if noise and rng.random() < 0.25:
        pre = noise.get("pre", [])
        post = noise.get("post", [])
        if pre and rng.random() < 0.5:
            text = rng.choice(pre) + text
        elif post:
            text = text + rng.choice(post)
    return text


def expand(frames, intents, lang, noise, rng, per_intent, wrap=(), wrap_long=()):
    out = {}
    for intent, spec in intents.items():
        combos = [f.replace("{vp}", vp) for f in frames for vp in spec.get("vp", [])]
        rng.shuffle(combos)
        full = list(spec.get("full", []))
        lines = full + combos[: max(0, per_intent - len(full))]
        seen = set()
        result = []
        for i, line in enumerate(lines):
            if i >= len(full) or rng.random() < 0.5:
                line = noisy(line, lang, noise, rng, wrap, wrap_long)
            if line not in seen:
                seen.add(line)
                result.append(line)
        out[intent] = result
    return out


def main(argv):
    langs = argv or sorted(p.stem for p in HERE.glob("??.py"))
    dev_path = ROOT / "tests/fixtures/nlu/intent_dev_cs.tsv"
    dev_rows = {}
    if dev_path.exists():
        for row in dev_path.read_text(encoding="utf-8").splitlines():
            if row and not row.startswith("#"):
                dev_rows.setdefault(row.split("\t")[0], []).append(row)
    for lang in langs:
        mod = load(lang)
        rng = random.Random(f"train-{lang}")
        noise = getattr(mod, "NOISE", {})
        intents = {k: {"vp": list(v.get("vp", [])), "full": list(v.get("full", []))}
                   for k, v in mod.INTENTS.items()}
        for intent, extra in getattr(mod, "EXTRA", {}).items():
            intents[intent]["vp"] += extra.get("vp", [])
            intents[intent]["full"] += extra.get("full", [])
        for intent, lines in pairs.PAIRS.get(lang, {}).items():
            intents[intent]["full"] += lines
        intents["out_of_scope"] = {"vp": [], "full": list(oos.TRAIN.get(lang, []))}
        wrap = wrappers.WRAP.get(lang, [])
        wrap_long = wrappers.WRAP_LONG.get(lang, [])
        train = expand(mod.FRAMES, intents, lang, noise, rng, PER_INTENT, wrap, wrap_long)
        dev_lines = set()
        rows = []
        if hasattr(mod, "DEV_INTENTS"):
            drng = random.Random(f"dev-{lang}")
            dev = expand(mod.DEV_FRAMES, mod.DEV_INTENTS, lang, {}, drng,
                         getattr(mod, "DEV_PER_INTENT", 12))
            for intent, lines in dev.items():
                for line in lines:
                    dev_lines.add(line)
                    rows.append(f"{lang}\t{intent}\t{line}")
            for line in oos.DEV.get(lang, []):
                dev_lines.add(line)
                rows.append(f"{lang}\tout_of_scope\t{line}")
        dev_rows[lang] = rows
        with open(ROOT / f"data/nlu/{lang}_cs.txt", "w", encoding="utf-8") as f:
            f.write(f"# Generated by scripts/intent_data/gen.py from scripts/intent_data/{lang}.py"
                    " - edit the spec, not this file.\n")
            n = 0
            for intent, lines in train.items():
                f.write(f"@{intent}\n")
                for line in lines:
                    if line in dev_lines:
                        continue  # never train on a dev line
                    f.write(line + "\n")
                    n += 1
        print(f"{lang}: {n} training lines, {len(rows)} dev lines", file=sys.stderr)
    with open(dev_path, "w", encoding="utf-8") as f:
        f.write("# Customer-service style dev set: lang<TAB>intent<TAB>text. Generated by\n"
                "# scripts/intent_data/gen.py from the DEV_* parts of the specs (other frames and\n"
                "# wording than the training parts); lines are never in data/nlu/.\n")
        for lang in sorted(dev_rows):
            for row in dev_rows[lang]:
                f.write(row + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
