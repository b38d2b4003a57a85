"""Batched sweeps and ``govsim.sweep``: one folder and status per run, resume, figures, docs."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hydra import initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from hydra.types import HydraContext, RunMode
from omegaconf import OmegaConf

import govsim
import govsim.experiments.batch as batch
import govsim.experiments.job as job
from conftest import FAST, experiment, govsim_in_process
from govsim.composition.compose import CONF_DIR, config_yaml, register_configs, to_experiment
from govsim.composition.compositions import Compositions
from govsim.composition.overrides import check_overrides
from govsim.experiments.collect import collect
from govsim.experiments.sweep import Job, read_status, register_resolvers

SWEEP = (*FAST, "reference=null")
VOLATILE = ["sweep", "wall_seconds", "run_wall_seconds", "compile_seconds"]


def _same_runs(a: pd.DataFrame, b: pd.DataFrame) -> None:
    def tidy(runs: pd.DataFrame) -> pd.DataFrame:
        return (
            runs.drop(columns=VOLATILE)
            .sort_values(["run", "arm", "replication"])
            .reset_index(drop=True)
        )

    pd.testing.assert_frame_equal(tidy(a), tidy(b))


def test_two_workers_write_one_folder_and_status_per_run_like_the_command(
    capsys, tmp_path: Path
) -> None:
    swept = govsim.sweep(
        *SWEEP, "mechanism=baseline,whistle", "seed=0", folder=tmp_path / "a", workers=2
    )
    folders = sorted(tmp_path.glob("a/run-*"))
    assert len(folders) == 2 and swept.state.whole and len(swept.state.done) == 2
    assert [read_status(f)["outcome"] for f in folders] == ["ran"] * 2
    assert set(swept.runs["run"]) == {f.name for f in folders}
    assert len(swept.daily) == 2 * 20 and set(swept.units["run"]) == set(swept.runs["run"])
    status, _, err = govsim_in_process(
        capsys,
        "-m",
        *SWEEP,
        "mechanism=baseline,whistle",
        "seed=0",
        "hydra/launcher=basic",
        f"hydra.sweep.dir={tmp_path / 'b'}",
    )
    assert status == 0, err
    assert sorted(p.name for p in tmp_path.glob("b/run-*")) == [f.name for f in folders]
    _same_runs(swept.runs, collect(tmp_path / "b")[0])


def test_resuming_skips_finished_runs_before_any_worker_starts_and_draws_no_figure(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    first = govsim.sweep(*SWEEP, "seed=0,1,2", folder=tmp_path)
    (tmp_path / first.state.done[0] / "status.json").unlink()  # as if interrupted
    ran: list[Path] = []
    real = job.write_run

    def counting(experiment, out, *args):
        ran.append(out)
        return real(experiment, out, *args)

    monkeypatch.setattr(job, "write_run", counting)
    again = govsim.sweep(*SWEEP, "seed=0,1,2", folder=tmp_path)  # one to run, in this process
    assert ran == [tmp_path / first.state.done[0]] and again.state.whole

    def no_workers(*args, **kwargs):
        raise AssertionError("a worker process was started for a finished sweep")

    monkeypatch.setattr(batch, "_in_workers", no_workers)
    capsys.readouterr()
    third = govsim.sweep(*SWEEP, "seed=0,1,2", folder=tmp_path, workers=2)
    assert len(ran) == 1 and third.state.whole
    assert f"sweep {tmp_path}: 3 skipped" in capsys.readouterr().out
    _same_runs(first.runs, third.runs)
    assert sorted(p.name for p in tmp_path.glob("run-*/*") if p.name != ".lock") == sorted(
        [
            "config.yaml",
            "runs.parquet",
            "daily.parquet",
            "units.parquet",
            "summary.md",
            "status.json",
        ]
        * 3
    )  # no figure in a sweep by default


def test_figures_are_drawn_in_a_sweep_when_asked(tmp_path: Path) -> None:
    govsim.sweep(*SWEEP, "seed=0", "figures=true", folder=tmp_path)
    assert [p.name for p in tmp_path.glob("run-*/comparison.png")] == ["comparison.png"]
    assert job.draws_figures(experiment(*FAST), in_sweep=False)
    assert not job.draws_figures(experiment(*FAST, "figures=false"), in_sweep=False)


def test_a_failing_job_is_recorded_and_the_others_finish(tmp_path: Path) -> None:
    def report(result, out, figures) -> None:
        if result.config.seed == 1:
            raise RuntimeError("simulated failure")

    jobs = [
        Job.of(tmp_path / f"run-{seed}", experiment(*SWEEP, f"seed={seed}"), [f"seed={seed}"])
        for seed in range(3)
    ]
    outcomes = batch.run_jobs(jobs, report)
    assert outcomes == {"ran": 2, "failed": 1}
    assert [read_status(j.folder)["status"] for j in jobs] == ["done", "failed", "done"]
    assert "simulated failure" in read_status(jobs[1].folder)["error"]


def test_batches_cover_every_job_in_order() -> None:
    jobs = list(range(23))
    for workers in (1, 2, 3, 8):
        parts = batch.batches(jobs, workers)  # type: ignore[arg-type]
        assert [j for part in parts for j in part] == jobs
        assert len(parts) <= workers * batch.BATCHES_PER_WORKER and all(parts)


def test_jobs_composed_together_are_what_hydra_composes_for_each() -> None:
    staff = "city.departments.housing.staff"
    jobs = [
        ["city=workshop", "seed=1", "mechanism=whistle", f"{staff}=2"],
        [
            "mechanism=[whistle,hotline]",
            "city=workshop",
            "+city.departments.transport="
            '{label_zh:"交通",staff:2,response_delay_days:1,bounce_prob:0.1}',
        ],
        ["scenario=beijing_2019_hotline", "mechanism.hotline.start_day=3", "reference=null"],
        # changed in place: the previous job's staff and seed are undone, a list set
        ["city=workshop", "mechanism=whistle", "days=50"],
        ["city=workshop", "mechanism=whistle", "seed=4", "reference=[hotline]"],
        ["city=workshop", "mechanism=whistle", f"{staff}=3", "seed=1"],
    ]
    register_configs()
    register_resolvers()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        hydra = GlobalHydra.instance().hydra
        master = hydra.compose_config(
            "config", ["days=30", "hydra.sweep.dir=sweep"], run_mode=RunMode.MULTIRUN
        )
        together = Compositions(
            master, HydraContext(config_loader=hydra.config_loader, callbacks=None)
        )  # type: ignore[arg-type]
        for overrides in [*jobs, jobs[0], jobs[3]]:
            checked = check_overrides(overrides)
            full = hydra.config_loader.load_sweep_config(master, checked)
            _, fast_experiment, subdir = together.checked(checked)
            assert subdir == full.hydra.sweep.subdir
            assert config_yaml(fast_experiment) == config_yaml(to_experiment(full, checked))
            fast = together.compose(checked)
            for cfg in (fast, full):
                cfg.hydra.run.dir = "run"  # a random suffix, drawn anew in each composition
            assert OmegaConf.to_container(fast, resolve=True) == OmegaConf.to_container(
                full, resolve=True
            )
        assert len(together.groups) == 3  # the first job's groups composed once for four jobs


@pytest.mark.parametrize(
    "overrides",
    [
        ["scenario=dongguan_smart_grid_12345"],
        ["mechanism=[whistle,hotline,grid]", "reference=null"],
        # strings that read as other types, and long lines of Chinese and Latin text
        [
            "city.label_zh='1.5'",
            "city.name=" + "x" * 120,
            "scenario_label_zh='" + "街巷吹哨 " * 30 + "'",
        ],
    ],
)
def test_config_yaml_is_omegaconfs_yaml(overrides: list[str]) -> None:
    cfg = experiment(*overrides)
    assert config_yaml(cfg) == OmegaConf.to_yaml(OmegaConf.structured(cfg))


def test_the_api_docs_example_runs(monkeypatch, tmp_path: Path) -> None:
    text = (CONF_DIR.parent / "docs" / "api.md").read_text(encoding="utf-8")
    example = text[text.index("## A worked example") :]
    blocks = re.findall(r"```python\n(.*?)```", example, flags=re.S)
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)
    difference = namespace["difference"]
    assert list(difference.index) == [1, 2, 4] and (difference["count"] == 3).all()
    assert (difference["low"] <= difference["mean"]).all()
