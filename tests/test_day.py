"""The model's day: its named steps, in the order the model description gives them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import FAST, experiment
from govsim.model.model import GovernanceModel

ODD = (Path(__file__).parents[1] / "docs" / "ODD.md").read_text(encoding="utf-8")


def odd_steps() -> list[str]:
    """The steps of section 3 of the ODD: ``N. **Title** (`name` ...``, in order."""
    section = ODD.split("## 3. Process overview and scheduling", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\d+\. \*\*[^*]+\*\* \(`(\w+)`", section, flags=re.MULTILINE)


def test_the_model_s_day_is_the_odd_s_list_of_steps() -> None:
    assert odd_steps() == list(GovernanceModel.DAY)
    assert len(set(GovernanceModel.DAY)) == len(GovernanceModel.DAY) == 12


def test_a_step_runs_each_named_step_once_in_order() -> None:
    model = GovernanceModel(experiment(*FAST))
    ran: list[str] = []

    def recorded(name: str, method: Callable[[], object]) -> Callable[[], object]:
        def run() -> object:
            ran.append(name)
            return method()

        return run

    for name in GovernanceModel.DAY:
        setattr(model, name, recorded(name, getattr(model, name)))
    model.step()
    model.step()
    assert ran == [*odd_steps(), *odd_steps()]
    assert model.day == 2
    assert model.engine.counters.counts.sum() > 0  # the steps did the day's work
