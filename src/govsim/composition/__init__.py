"""The Hydra adapter: every use of Hydra's composition, override parsing and plugins.

govsim's configuration is composed by Hydra 1.3 from ``conf/`` and the command line's
overrides; this package is where govsim meets it, so that the layers below (the schema,
the city, the mechanisms, the engine, the outcomes) know nothing of Hydra, and Hydra's
internal modules (``hydra._internal``) are reached from here alone:

- :func:`govsim.composition.compose.compose`: overrides → a validated
  :class:`~govsim.config.schema.ExperimentConfig` (and :func:`~govsim.composition.compose.
  to_experiment`, the rules every composition obeys, memory included:
  :mod:`govsim.composition.budget`);
- :mod:`~govsim.composition.compositions`: one composition per choice of config groups;
- :mod:`~govsim.composition.overrides`: the user's overrides checked, Hydra's errors in
  one line; :mod:`~govsim.composition.city_paths` (``city=PATH``) and
  :mod:`~govsim.composition.linked` (keys swept together);
- :func:`govsim.composition.launch.launch`: a sweep's overrides → its jobs run by the
  configured sweeper and launcher, each handed to a task as an experiment;
- :mod:`~govsim.composition.sweeping`: sweep overrides crossed into jobs, as Hydra's basic
  sweeper crosses them; :mod:`~govsim.composition.sweepers`: what govsim's sweepers (in
  ``hydra_plugins``, calling the designs and checks of :mod:`govsim.experiments`) share,
  their launcher and the hand-over of checked jobs;
- :mod:`~govsim.composition.command_line`: Hydra's command line and its application
  (:func:`~govsim.composition.command_line.run_application`), the CLI's one door to Hydra;
- :mod:`~govsim.composition.omegaconf_yaml`: OmegaConf's YAML quoting, for govsim's writers;
- :mod:`~govsim.composition.hydra_mode` and :mod:`~govsim.composition.hydra_help`: a
  single run composed once, ``--help`` written fast.

``tests/test_structure.py`` holds the line: nothing outside this layer and the plugins
imports Hydra, and nothing outside it imports ``hydra._internal`` or ``omegaconf._utils``.
"""
