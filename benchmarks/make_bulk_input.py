"""Write a large, varied answers table for `starlint bulk` benchmarks and the kill test.

    python benchmarks/make_bulk_input.py --rows 100000 -o /tmp/answers-100k.csv [--seed 7]

Answers are assembled from STAR fragments (situation, task, action, result, reflection) with
the anti-patterns starlint looks for mixed in (accuracy without impact, solo credit, generic
claims, a single-number salary ask, missing results), so scores and findings spread the way a
real cohort's would. Rows are written as they are made: any size, flat memory. Deterministic
for a given seed. Output format follows the suffix: .csv or .jsonl. Not for committing.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

FIRST = ["Ana", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena", "Maya", "Nia",
         "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vik", "Wei", "Xena", "Yusuf", "Zoe"]
LAST = ["Ruiz", "Okafor", "Lindqvist", "Shah", "Park", "Moreau", "Novak", "Chen", "Haddad", "Kowalski", "Mensah",
        "Tanaka", "Silva", "Ibrahim", "Fischer", "Rossi"]
QUESTIONS = [
    "Tell me about a time you improved a process.", "Tell me about a conflict with a colleague.",
    "Tell me about a launch that went wrong.", "Describe a decision you made without all the data.",
    "Tell me about a time you influenced without authority.", "Walk me through a project you are proud of.",
    "Tell me about a model or analysis you built.", "Tell me about a time you failed.",
    "What are your salary expectations?", "Why do you want this role?",
]
COMPANIES = ["a regional grocery chain", "a payments startup", "a logistics company", "a hospital network",
             "an online bookstore", "a B2B SaaS company", "a mobile games studio", "a retail bank"]
PROBLEMS = ["one in eight deliveries arrived with missing items", "support tickets had tripled in a quarter",
            "checkout abandonment had climbed to 70 %", "onboarding took new clients three weeks",
            "fraud chargebacks were rising every month", "our release cadence had slowed to once a month",
            "churn among small customers was twice the average", "the data pipeline failed most Mondays"]
TASKS = ["My goal as the product manager was to cut that in half before the holiday peak.",
         "I owned the fix and had one quarter to show progress.",
         "My task was to find the root cause and propose a plan the leadership team would fund.",
         "I was asked to turn it around without adding headcount."]
PARTNERS = ["the operations lead", "two data scientists", "the design lead", "our support manager",
            "the engineering lead", "finance and legal", "three store managers"]
ACTIONS = ["I partnered with {p} to map the workflow, and we ran a four-week pilot in three sites.",
           "I interviewed twelve customers with {p}, wrote a two-page proposal, and ran an A/B test.",
           "Together with {p}, I prioritized the three biggest causes and shipped fixes behind a feature flag.",
           "I set up a weekly review with {p} and we agreed on one success metric before building anything."]
SOLO = ["I did all of the analysis myself and made every decision on my own to keep things fast.",
        "I single-handedly rebuilt the system over a weekend."]
RESULTS = ["Missing-item orders fell from 12 % to 5 %, and the change rolled out to all 140 stores.",
           "Tickets dropped by 38 % in two months, saving about $400,000 a year.",
           "Conversion rose 4 %, worth roughly $1.2M in annual revenue.",
           "Onboarding time went from three weeks to four days, and churn fell by a fifth.",
           "We cut chargebacks by 27 % within a quarter."]
VAGUE_RESULTS = ["The project was a big success and everyone was happy.", "It went really well overall."]
ACCURACY = ["I built a 99.9 % accurate model using gradient boosting and a lot of feature engineering.",
            "Our classifier reached 97 % precision after I tuned the hyperparameters for weeks."]
GENERIC = ["I am a hard worker and a team player who always goes the extra mile.",
           "I am passionate about delivering value and I always exceed expectations."]
REFLECTIONS = ["What I learned is that the front-line staff were the real users; next time I would involve them from week one.",
               "Next time I would agree the rollback plan before launch, not after.",
               "I learned to bring data to disagreements early instead of arguing opinions."]
SALARY = ["I'm looking for a ${n},000 base salary.",
          "I'd like a base around ${n},000, but I'm flexible on the total package including equity and bonus."]


def answer(rng: random.Random, question: str) -> str:
    if question.startswith("What are your salary"):
        return rng.choice(SALARY).format(n=rng.randrange(90, 220, 5))
    if question.startswith("Why do you want"):
        return " ".join(rng.sample(GENERIC + [
            "I want to work closer to customers after five years on internal tools.",
            "Your team's work on logistics data is exactly where I want to grow next."], k=rng.randint(1, 3)))
    parts = [f"At {rng.choice(COMPANIES)}, {rng.choice(PROBLEMS)}."]
    if rng.random() < 0.7:
        parts.append(rng.choice(TASKS))
    parts.append(rng.choice(SOLO) if rng.random() < 0.15 else rng.choice(ACTIONS).format(p=rng.choice(PARTNERS)))
    if rng.random() < 0.2:
        parts.append(rng.choice(ACCURACY))
    roll = rng.random()
    parts.append(rng.choice(RESULTS) if roll < 0.65 else rng.choice(VAGUE_RESULTS) if roll < 0.85 else "")
    if rng.random() < 0.45:
        parts.append(rng.choice(REFLECTIONS))
    if rng.random() < 0.1:
        parts.append(rng.choice(GENERIC))
    return " ".join(p for p in parts if p)


def rows(n: int, seed: int, candidates: int, empty_every: int):
    rng = random.Random(seed)
    names = [f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}" for i in range(candidates)]
    for i in range(1, n + 1):
        q = rng.choice(QUESTIONS)
        text = "" if empty_every and i % empty_every == 0 else answer(rng, q)
        yield {"id": f"a{i:07d}", "candidate": rng.choice(names), "question": q, "answer": text}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=5000)
    ap.add_argument("-o", "--output", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--candidates", type=int, default=40)
    ap.add_argument("--empty-every", type=int, default=0, help="make every Nth answer empty (an errors-file row)")
    args = ap.parse_args(argv)
    with open(args.output, "w", newline="", encoding="utf-8") as fh:
        data = rows(args.rows, args.seed, args.candidates, args.empty_every)
        if args.output.suffix == ".jsonl":
            for r in data:
                fh.write(json.dumps(r) + "\n")
        else:
            w = csv.DictWriter(fh, fieldnames=["id", "candidate", "question", "answer"], lineterminator="\n")
            w.writeheader()
            w.writerows(data)
    print(f"wrote {args.rows:,} rows to {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
