"""The change from the partial report (2010, grants 2008–2009) to the final report (2011,
grants 2008–2010): per measure, per project (diarienummer is the key across rounds) and by
status."""

from __future__ import annotations

import pandas as pd

from samverkan.results.frames import ProcessedLike, prepare_projects
from samverkan.results.measures import PROJECT_MEASURES, label, measures, project_flags
from samverkan.rounds import FINAL, PARTIAL, PERIOD_BY_ROUND


def change_by_measure(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Every project measure at the partial report (2010, grants 2008–2009) and at the final
    report (2011, grants 2008–2010), per county and nationally: columns measure, label,
    lan_code, value_2010, value_2011, change."""
    both = measures(p2011, p2010)
    before, after = PERIOD_BY_ROUND[PARTIAL], PERIOD_BY_ROUND[FINAL]
    names = [m.name for m in PROJECT_MEASURES]
    wide = both[both["measure"].isin(names) & both["period"].isin([before, after])
                & both["lan_code"].ne("")]
    wide = wide.pivot_table(index=["measure", "lan_code"], columns="period", values="value")
    wide = wide.reindex(columns=[before, after]).reset_index()
    wide.columns = ["measure", "lan_code", "value_2010", "value_2011"]
    wide["change"] = wide["value_2011"] - wide["value_2010"]
    order = {name: i for i, name in enumerate(names)}
    wide = wide.sort_values(["measure", "lan_code"], key=lambda s: s.map(order)
                            if s.name == "measure" else s, ignore_index=True)
    wide.insert(1, "label", wide["measure"].map(label))
    return wide


def project_changes(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Per project (diarienummer, the key across rounds): in which reports it appears, its
    status in each, and the measures it gained and lost between them (names joined by ";",
    in :data:`PROJECT_MEASURES` order; only for projects in both reports)."""
    names = [m.name for m in PROJECT_MEASURES if m.name != "projects_granted"]
    after = project_flags(p2011.projects).set_index("diarienummer")
    before = project_flags(p2010.projects).set_index("diarienummer")
    status_after = prepare_projects(p2011.projects).set_index("diarienummer")["status"]
    status_before = prepare_projects(p2010.projects).set_index("diarienummer")["status"]
    ids = sorted(set(after.index) | set(before.index))
    both = sorted(set(after.index) & set(before.index))
    a, b = after.loc[both, names], before.loc[both, names]

    def joined(mask: pd.DataFrame) -> pd.Series:
        return pd.Series([";".join(mask.columns[row]) for row in mask.to_numpy()],
                         index=mask.index, dtype=object)

    gained, lost = joined(a & ~b), joined(b & ~a)
    lan = after["lan_code"].combine_first(before["lan_code"])
    out = pd.DataFrame({
        "diarienummer": ids,
        "lan_code": lan.reindex(ids).to_numpy(),
        "in_2010": [i in before.index for i in ids],
        "in_2011": [i in after.index for i in ids],
        "status_2010": status_before.reindex(ids).fillna("").to_numpy(),
        "status_2011": status_after.reindex(ids).fillna("").to_numpy(),
        "gained": gained.reindex(ids).fillna("").to_numpy(),
        "lost": lost.reindex(ids).fillna("").to_numpy(),
    })
    return out


def status_transitions(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Projects by status at the partial report (rows, ``saknas`` = not in that report) and at
    the final report (columns)."""
    changes = project_changes(p2011, p2010)
    before = changes["status_2010"].replace("", "saknas")
    after = changes["status_2011"].replace("", "saknas")
    return pd.crosstab(before, after).rename_axis(index="status_2010", columns="status_2011")


def flag_changes(p2011: ProcessedLike, p2010: ProcessedLike) -> pd.DataFrame:
    """Per measure, among the projects in both reports: how many gained and how many lost it
    (columns measure, label, gained, lost, net)."""
    changes = project_changes(p2011, p2010)
    both = changes[changes["in_2010"] & changes["in_2011"]]
    rows = []
    for m in PROJECT_MEASURES:
        if m.name == "projects_granted":
            continue
        gained = int(both["gained"].str.split(";").apply(lambda xs, n=m.name: n in xs).sum())
        lost = int(both["lost"].str.split(";").apply(lambda xs, n=m.name: n in xs).sum())
        rows.append({"measure": m.name, "label": m.label, "gained": gained, "lost": lost,
                     "net": gained - lost})
    return pd.DataFrame(rows, columns=["measure", "label", "gained", "lost", "net"])


