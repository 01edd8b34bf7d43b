from __future__ import annotations

from pathlib import Path

import pytest

from printouts import BlankForm, Sheet

from .sample import Record, livestream


@pytest.fixture(scope="session")
def record(fixtures_dir: Path) -> Record:
    return livestream(fixtures_dir)


@pytest.fixture(scope="session")
def record_en(fixtures_dir: Path) -> Record:
    return livestream(fixtures_dir, languages=("en", "zh"))


def one_of_each(rec: Record) -> dict[str, Sheet]:
    """A sheet of every kind, chosen to show the interesting marks: J4 has recusals and an
    override, L05 a revision and dropped judges, the appeal a decision, J4's blank paper form
    struck rows."""
    return {
        "judge": rec.judge_sheet("J4"),
        "contestant": rec.contestant_sheet("L05"),
        "results": rec.results_sheet(),
        "discrepancy": rec.discrepancy_report(),
        "appeal": rec.appeal(),
        "enrolment": rec.enrolment_cards()[0],
        "form": BlankForm("J4"),
    }


@pytest.fixture(scope="session")
def sheets(record: Record) -> dict[str, Sheet]:
    return one_of_each(record)
