"""The money of Table 6: each project's grant (amount, year, decision date) and each county
board's administration and repayment.

Money rules enforced per county (and checked before anything is written): administration ≤ 5 %
of the county's requisition, integer amounts that add up exactly to 1 050 747 kr nationally;
granted (started projects) + administration ≤ requisitioned, so every repayment ≥ 0; granted
funds up to each year within the funds requisitioned up to that year (2008; 2008–2009;
2008–2010), so a county with no 2010 project cannot spend its 2010 funds; each grant between
20 000 and 920 000 kr, most rounded to the thousand, one per county exact.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from samverkan.rounds import FINAL
from samverkan.synth.projects import Project, _rng
from samverkan.synth.targets import YEARS, County, SynthError, Targets

MIN_GRANT, MAX_GRANT = 20_000, 920_000
ADMIN_CAP = 0.05


@dataclass(frozen=True)
class Board:
    """One county board's figures in one replica (sheet Länsstyrelsen)."""

    lan_code: str
    administration_sek: int
    repayment_sek: int


def _water_fill(values: list[float], total: float, lows: list[float],
                highs: list[float]) -> list[float]:
    """Scale ``values`` to add up to ``total`` while each stays within its bounds."""
    if not sum(lows) - 1e-6 <= total <= sum(highs) + 1e-6:
        raise SynthError(f"cannot spread {total:.0f} within the bounds")
    out = list(values)
    fixed = [False] * len(out)
    for _ in range(len(out) + 1):
        free = [i for i in range(len(out)) if not fixed[i]]
        budget = total - sum(out[i] for i in range(len(out)) if fixed[i])
        weight = sum(values[i] for i in free) or 1.0
        for i in free:
            out[i] = budget * values[i] / weight
        clipped = False
        for i in free:
            if out[i] > highs[i] or out[i] < lows[i]:
                out[i] = min(max(out[i], lows[i]), highs[i])
                fixed[i] = True
                clipped = True
        if not clipped:
            return out
    raise SynthError("water filling did not converge")


def _largest_remainder(values: list[float], total: int) -> list[int]:
    """Integers close to ``values`` that add up to ``total``."""
    floors = [math.floor(v) for v in values]
    order = sorted(range(len(values)), key=lambda i: floors[i] - values[i])
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def _admin(t: Targets, rng: random.Random) -> dict[str, int]:
    """Administration per county: ≤ 5 % of its requisition, summing to the published total."""
    lans = sorted(t.counties)
    req = [sum(t.counties[lan].requisitioned.values()) for lan in lans]
    share = t.administration_sek / sum(req)
    raw = [r * share * rng.uniform(0.95, 1.05) for r in req]
    caps = [math.floor(r * ADMIN_CAP) for r in req]
    values = _water_fill(raw, t.administration_sek, [0.0] * len(req), [float(c) for c in caps])
    amounts = _largest_remainder(values, t.administration_sek)
    if any(a > cap for a, cap in zip(amounts, caps, strict=True)):
        raise SynthError("administration above 5 % of a requisition")
    return dict(zip(lans, amounts, strict=True))


def _usable(c: County, admin: int, n_young: int) -> int:
    """What a county can grant: its requisition less administration, and without any started
    2010 project only the funds requisitioned for 2008–2009."""
    total = sum(c.requisitioned.values()) - admin
    return total if n_young else min(total, c.requisitioned[2008] + c.requisitioned[2009])


def _repayments(t: Targets, rng: random.Random, admin: dict[str, int],
                started: dict[str, tuple[int, int]]) -> dict[str, int]:
    """Repayment per county so that the grants add up to the published total."""
    lans = sorted(t.counties)
    req = {lan: sum(t.counties[lan].requisitioned.values()) for lan in lans}
    total = sum(req.values()) - t.granted_sek - t.administration_sek
    lows, highs, raw = [], [], []
    for lan in lans:
        n_old, n_young = started[lan]
        n = n_old + n_young
        usable = min(_usable(t.counties[lan], admin[lan], n_young), int(n * MAX_GRANT * 0.95))
        low = req[lan] - admin[lan] - usable
        high = req[lan] - admin[lan] - math.ceil(n * MIN_GRANT * 1.3)
        if n == 0:
            high = low
        lows.append(float(low))
        highs.append(float(max(low, high)))
        raw.append(req[lan] * rng.uniform(0.2, 1.0))
    extra = _water_fill([r + 1e-9 for r in raw], total - sum(lows),
                        [0.0] * len(lans), [h - lo for lo, h in zip(lows, highs, strict=True)])
    amounts = _largest_remainder([lo + e for lo, e in zip(lows, extra, strict=True)], total)
    return dict(zip(lans, amounts, strict=True))


def _spread(rng: random.Random, total: int, n: int) -> list[float]:
    """``n`` lognormal shares of ``total``, less spread when the mean is near a bound."""
    mean = total / n
    sigma = max(0.05, min(0.55, 0.5 * math.log(mean / MIN_GRANT),
                          0.5 * math.log(MAX_GRANT / mean)))
    raw = [math.exp(rng.gauss(0.0, sigma)) for _ in range(n)]
    return _water_fill(raw, total, [MIN_GRANT * 1.05] * n, [MAX_GRANT * 0.97] * n)


def _decision_amount(rng: random.Random, value: float) -> int:
    """A grant as county boards decide it: mostly whole thousands, large ones often to the
    five or ten thousand, some exact."""
    r = rng.random()
    if r < 0.15:
        return int(round(value))
    if value > 300_000 and r < 0.5:
        return int(round(value / 10_000) * 10_000)
    if value > 100_000 and r < 0.6:
        return int(round(value / 5_000) * 5_000)
    return int(round(value / 1_000) * 1_000)


def _amounts(rng: random.Random, total: int, n: int) -> list[int]:
    """``n`` grants adding up to ``total``; the last one absorbs the rounding (an exact sum)."""
    values = _spread(rng, total, n)
    amounts = [_decision_amount(rng, v) for v in values[:-1]]
    amounts.append(total - sum(amounts))
    while not MIN_GRANT <= amounts[-1] <= MAX_GRANT:
        donor = max(range(n - 1), key=lambda i: amounts[i]) if amounts[-1] < MIN_GRANT else \
            min(range(n - 1), key=lambda i: amounts[i])
        step = 1000 if amounts[-1] < MIN_GRANT else -1000
        amounts[donor] -= step
        amounts[-1] += step
    return amounts


def assign_money(t: Targets, projects: list[Project], seed: int,
                 replica: int) -> dict[str, Board]:
    """Grants per project (amount, year, decision date) and the boards' administration and
    repayment, under the money rules of the module docstring."""
    rng = _rng(seed, replica, "money")
    admin = _admin(t, rng)
    by_county: dict[str, list[Project]] = defaultdict(list)
    for p in projects:
        by_county[p.lan_code].append(p)
    started = {lan: (sum(p.old for p in ps), sum(p.started and not p.old for p in ps))
               for lan, ps in by_county.items()}
    repay = _repayments(t, rng, admin, started)
    for lan, c in t.counties.items():
        ps = by_county[lan]
        old = [p for p in ps if p.old]
        young = [p for p in ps if p.started and not p.old]
        granted = sum(c.requisitioned.values()) - admin[lan] - repay[lan]
        _county_grants(rng, c, granted, old, young)
        for p in ps:
            if not p.started:
                p.granted_sek, p.granted_year = 0, 2010
        for p in ps:
            p.decision = _decision_date(rng, p.granted_year)
    _check_money(t, projects, admin, repay)
    return {lan: Board(lan, admin[lan], repay[lan]) for lan in t.counties}


def _county_grants(rng: random.Random, c: County, granted: int, old: list[Project],
                   young: list[Project]) -> None:
    cum09 = c.requisitioned[2008] + c.requisitioned[2009]
    if not young:
        old_total = granted
    elif not old:
        old_total = 0
    else:
        share = 0.5 * cum09 / sum(c.requisitioned.values()) + \
            0.5 * len(old) / (len(old) + len(young))
        low = max(len(old) * MIN_GRANT * 1.2, granted - len(young) * MAX_GRANT * 0.95)
        high = min(cum09, len(old) * MAX_GRANT * 0.95, granted - len(young) * MIN_GRANT * 1.2)
        if low > high:
            raise SynthError(f"county {c.lan_code}: no room to split grants between years")
        wanted = granted * share * rng.uniform(0.9, 1.1)
        old_total = int(min(max(wanted, low), high) // 1000 * 1000)
    if old_total > cum09:
        raise SynthError(f"county {c.lan_code}: 2008–2009 grants exceed 2008–2009 funds")
    if old:
        for p, amount in zip(old, _amounts(rng, old_total, len(old)), strict=True):
            p.granted_sek = amount
        p08 = 0.0 if c.requisitioned[2008] == 0 else 0.45
        for p in old:
            p.granted_year = 2008 if rng.random() < p08 else 2009
        while sum(p.granted_sek for p in old if p.granted_year == 2008) > c.requisitioned[2008]:
            largest = max((p for p in old if p.granted_year == 2008), key=lambda p: p.granted_sek)
            largest.granted_year = 2009
    if young:
        for p, amount in zip(young, _amounts(rng, granted - old_total, len(young)),
                             strict=True):
            p.granted_sek, p.granted_year = amount, 2010


def _decision_date(rng: random.Random, year: int) -> date:
    first, last = {2008: (date(2008, 9, 15), date(2008, 12, 12)),
                   2009: (date(2009, 2, 2), date(2009, 10, 30)),
                   2010: (date(2010, 2, 1), date(2010, 10, 29))}[year]
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _check_money(t: Targets, projects: list[Project], admin: dict[str, int],
                 repay: dict[str, int]) -> None:
    """The money rules of the module docstring; a violation is a generator bug."""
    problems = []
    for lan, c in t.counties.items():
        ps = [p for p in projects if p.lan_code == lan]
        req = sum(c.requisitioned.values())
        granted = sum(p.granted_sek for p in ps if p.started)
        if admin[lan] > req * ADMIN_CAP:
            problems.append(f"{lan}: administration above 5 %")
        if granted + admin[lan] + repay[lan] != req or repay[lan] < 0:
            problems.append(f"{lan}: granted + administration + repayment != requisitioned")
        cumulative = 0
        for year in YEARS[FINAL]:
            cumulative += c.requisitioned[year]
            spent = sum(p.granted_sek for p in ps if p.granted_year <= year)
            if spent > cumulative:
                problems.append(f"{lan}: grants up to {year} exceed funds up to {year}")
        for p in ps:
            if p.started and not MIN_GRANT <= p.granted_sek <= MAX_GRANT:
                problems.append(f"{lan}: grant {p.granted_sek} out of range")
            if p.granted_year not in ((2008, 2009) if p.old else (2010,)):
                problems.append(f"{lan}: granted_year {p.granted_year} for old={p.old}")
    total = sum(p.granted_sek for p in projects if p.started)
    if total != t.granted_sek or sum(admin.values()) != t.administration_sek:
        problems.append(f"national totals {total} / {sum(admin.values())} off target")
    if problems:
        raise SynthError("money rules broken: " + "; ".join(problems))
