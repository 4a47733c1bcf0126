"""Is a lexicon hit said in the negative? A NegEx-style look-back (Chapman et al., 2001).

"no time for a pilot", "rather than waste time on a pilot" and "we didn't wait for the review"
name a safeguard only to say it was skipped. A hit is negated when a negation trigger occurs
within a few tokens before it, in the same clause: the look-back stops at punctuation and at
words that open a new clause or a condition ("but", "until", "before"...), so "we did not
launch until the pilot ended" keeps its pilot. Only checks (a pilot, a test, a review, a
fallback) can be skipped; a risk named in the negative ("we made sure there was no bias") is
still a risk named, so risk words are never negated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .answer import Answer

WINDOW = 5
# Hits that name a check someone performs (prefixes of the lower-cased hit text).
CHECKS = ("pilot", "test", "review", "validat", "verif", "monitor", "qa", "check", "beta", "canary", "shadow", "audit",
          "sign", "approv", "a/b", "ab test", "staged", "phased", "gradual", "limited", "backtest", "red team", "spot",
          "quality", "evaluat", "compliance", "legal", "clinical", "human", "manual", "expert", "fallback", "fall back",
          "rollback", "roll back", "kill switch", "guardrail", "feature flag", "behind a flag", "escalat", "override")
TRIGGERS = frozenset("no not n't without never skip skips skipped skipping dropped drop dropping scrapped ditched "
                     "bypass bypassed bypassing forgo forgoing forwent waive waived waiving".split())
PAIR_TRIGGERS = frozenset({("rather", "than"), ("instead", "of"), ("waste", "time"), ("wasting", "time")})
STOPS = frozenset([*",;:.!?()—–-\"",
                   *"but however although though until unless before after once because which while whereas".split()])


def negated(answer: "Answer", start: int) -> bool:
    """True when the hit starting at char ``start`` falls inside a negation's scope."""
    t = answer.tokens
    i = t.range_of(start, start + 1)[0]
    lo = max(0, i - WINDOW)
    for j in range(i - 1, lo - 1, -1):
        if t.sent_start[j + 1]:  # token j is in the previous sentence
            break
        w = t.lower[j]
        if w in STOPS:
            return False
        if w in TRIGGERS or (j > 0 and (t.lower[j - 1], w) in PAIR_TRIGGERS):
            return True
    return False


def affirmed(answer: "Answer", hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The hits that are not a check said in the negative."""
    return [h for h in hits
            if not (answer.norm[h[0]:h[1]].lower().startswith(CHECKS) and negated(answer, h[0]))]
