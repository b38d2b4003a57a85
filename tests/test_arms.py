"""The arms of an experiment: a reference of the treatment's own mechanisms."""

from __future__ import annotations

import pytest

from conftest import FAST, experiment, govsim_in_process
from govsim.experiments.arms import arms, reference_is_treatment


def test_same_mechanisms_with_other_parameters_are_two_arms() -> None:
    cfg = experiment(
        *FAST, "mechanism=whistle", "mechanism.whistle.compliance=0.5", "reference=[whistle]"
    )
    found = arms(cfg)
    assert [a.role for a in found] == ["treatment", "reference"]
    assert found[0].mechanisms["whistle"].compliance == 0.5
    assert found[1].mechanisms["whistle"].compliance != 0.5
    assert not reference_is_treatment(cfg)


def test_the_treatment_itself_runs_once_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    assert reference_is_treatment(experiment(*FAST, "mechanism=whistle", "reference=[whistle]"))
    status, out, _ = govsim_in_process(
        capsys, *FAST, "mechanism=whistle", "reference=[whistle]", f"hydra.run.dir={tmp_path}"
    )
    assert status == 0
    assert "is the treatment itself" in out and "every paired difference is 0" in out


def test_two_arms_of_one_design_show_their_difference(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    status, out, _ = govsim_in_process(
        capsys,
        *FAST,
        "mechanism=whistle",
        "mechanism.whistle.compliance=0.2",
        "reference=[whistle]",
        f"hydra.run.dir={tmp_path}",
    )
    assert status == 0
    header = next(line for line in out.splitlines() if "metric" in line)
    assert "whistle (treatment)" in header and "whistle (reference)" in header
    assert "−" in header  # the difference column


def test_compare_refuses_two_arms_of_one_design_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    run = tmp_path / "run"
    status, _, _ = govsim_in_process(
        capsys,
        *FAST,
        "mechanism=whistle",
        "mechanism.whistle.compliance=0.2",
        "reference=[whistle]",
        f"hydra.run.dir={run}",
    )
    assert status == 0
    status, _, err = govsim_in_process(capsys, "compare", str(run))
    assert status == 2 and len(err.strip().splitlines()) == 1, err
    assert "whistle ran as both the treatment and the reference arm" in err
    assert not (run / "report").exists()
