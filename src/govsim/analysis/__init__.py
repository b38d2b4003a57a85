"""What the runs say: paired effects, sensitivity, uncertainty, robustness and calibration.

Statistics over the tables the experiments wrote (:mod:`govsim.experiments`), on scipy,
SALib and the EMA Workbench: paired differences between arms (:mod:`~govsim.analysis.
pairing`, :mod:`~govsim.analysis.stats`), the effects of a design's parameters
(:mod:`~govsim.analysis.effects`), their sensitivity indices and noise floor
(:mod:`~govsim.analysis.indices`, :mod:`~govsim.analysis.noise_floor`,
:mod:`~govsim.analysis.sensitivity`), the uncertainty of an output
(:mod:`~govsim.analysis.uncertainty`), the robustness of policies over an exploratory
sweep's scenarios (:mod:`~govsim.analysis.robustness`, :mod:`~govsim.analysis.induction`)
and the calibration of parameters to targets (:mod:`~govsim.analysis.calibrate`).
"""
