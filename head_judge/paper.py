"""Reads paper-fallback inputs: judges' sheets CSV and imported component CSVs.

Every bad row is reported with its line number, all at once, and nothing is returned
when any row is bad: a partial tabulation is never computed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from sync.event import Event
from sync.problems import InputProblems, Problem, Said
from sync.tabular import read_table

from .scoring import PanelSheet

_NUMBER = re.compile(r"^\d{1,6}(\.\d{1,6})?$")


def parse_value(text: str) -> Decimal | None:
    """A non-negative plain decimal as typed on a sheet (`8`, `8.5`), else None."""
    return Decimal(text) if _NUMBER.match(text) else None


def rubric_problem(event: Event, criterion_id: str, value: Decimal) -> str | None:
    """Why `value` is not allowed for the criterion, or None when it is."""
    criterion = event.criterion(criterion_id)
    if criterion is None:
        return f"unknown criterion {criterion_id!r}"
    if value < 0 or value > criterion.max:
        return f"{value} is outside 0–{criterion.max}"
    if value % criterion.step != 0:
        return f"{value} is not a multiple of the step {criterion.step}"
    return None


def read_sheets(event: Event, path: str | Path) -> list[PanelSheet]:
    """Sheets CSV/XLSX with columns `judge,contestant,<criterion ids...>`."""
    criteria = tuple(c.id for c in event.criteria)
    table = read_table(path)
    table.require_columns(("judge", "contestant") + criteria)
    problems: list[Problem] = []
    extra = [h for h in table.header if h not in ("judge", "contestant") + criteria]
    if extra:
        problems.append(Problem(
            table.file, "line 1",
            f"unknown column(s) {', '.join(extra)}; expected judge, contestant, "
            + ", ".join(criteria),
        ))
    seen: dict[tuple[str, str], int] = {}
    sheets: list[PanelSheet] = []
    for line, row in table.rows:
        where = f"line {line}"
        judge, contestant = event.judge(row["judge"]), event.contestant(row["contestant"])
        row_ok = True
        if judge is None:
            problems.append(Problem(table.file, f"{where}, column judge",
                                    f"unknown judge {row['judge']!r}; expected one of "
                                    + ", ".join(j.id for j in event.judges)))
            row_ok = False
        if contestant is None:
            problems.append(Problem(table.file, f"{where}, column contestant",
                                    f"unknown contestant {row['contestant']!r}"))
            row_ok = False
        if judge is not None and contestant is not None:
            key = (judge.id, contestant.id)
            if key in seen:
                problems.append(Problem(table.file, where,
                                        f"duplicate sheet: {judge.id} already scored "
                                        f"{contestant.id} on line {seen[key]}"))
                row_ok = False
            else:
                seen[key] = line
            if event.is_recused(judge, contestant):
                problems.append(Problem(table.file, where,
                                        f"{judge.id} is recused from {contestant.id} "
                                        "(same organisation or declared conflict)"))
                row_ok = False
        values: dict[str, Decimal] = {}
        for criterion in event.criteria:
            text = row.get(criterion.id, "")
            value = parse_value(text)
            if value is None:
                problems.append(Problem(
                    table.file, f"{where}, column {criterion.id}",
                    f"{text!r} is not a score; expected a number 0–{criterion.max} "
                    f"in steps of {criterion.step}",
                ))
                row_ok = False
                continue
            reason = rubric_problem(event, criterion.id, value)
            if reason:
                problems.append(Problem(table.file, f"{where}, column {criterion.id}", reason))
                row_ok = False
            values[criterion.id] = value
        if row_ok and judge is not None and contestant is not None:
            sheets.append(PanelSheet(judge.id, contestant.id, values))
    if problems:
        raise InputProblems(problems)
    return sheets


def read_component(event: Event, component_id: str, path: str | Path) -> dict[str, Decimal]:
    """Imported component values, CSV/XLSX with columns `contestant,value`."""
    component = event.component(component_id)
    if component is None or component.source != "import":
        imports = [c.id for c in event.scoring.components if c.source == "import"]
        raise InputProblems([Problem(str(path), "", Said(
            "not_import_component", component=repr(component_id),
            imports=", ".join(imports) or Said("no_import_components")))])
    table = read_table(path)
    table.require_columns(("contestant", "value"))
    problems: list[Problem] = []
    values: dict[str, Decimal] = {}
    lines: dict[str, int] = {}
    for line, row in table.rows:
        cid, text = row["contestant"], row["value"]
        if event.contestant(cid) is None:
            problems.append(Problem(table.file, Said("line_column", line=line,
                                                     column="contestant"),
                                    Said("unknown_contestant", contestant=repr(cid))))
            continue
        if cid in lines:
            problems.append(Problem(table.file, Said("line", line=line),
                                    Said("duplicate_value", contestant=cid, line=lines[cid])))
            continue
        lines[cid] = line
        value = parse_value(text)
        if value is None or value > component.max:
            problems.append(Problem(table.file, Said("line_column", line=line, column="value"),
                                    Said("not_a_value", text=repr(text), max=component.max)))
            continue
        values[cid] = value
    if problems:
        raise InputProblems(problems)
    return values
