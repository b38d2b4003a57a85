"""Field data: case logs (工单/事件台账) and tables of a city's units, read, checked, fitted.

A case log is one row per case exported from a hotline or grid-governance system, with
its own column names (事件编号, 上报时间, 办结时间, 二级分类, 镇街名称, ...). A mapping
(:mod:`govsim.cases.mapping`) names the column of each govsim field and translates the
log's values; :mod:`govsim.cases.read` reads CSV or Excel with it; :mod:`govsim.cases.check`
checks every row and gives the kept cases and the rejected rows with their reason;
:mod:`~govsim.cases.log_check`, :mod:`~govsim.cases.log_fit`,
:mod:`~govsim.cases.log_validation`, :mod:`~govsim.cases.reform` and
:mod:`~govsim.cases.simulated_log` do what ``govsim cases check``, ``fit``, ``validate``,
``reform`` and ``simulate`` ask (their command lines are read in :mod:`govsim.cli`);
:mod:`govsim.cases.validated` is what a validation judged, kept for the reform;
:mod:`govsim.cases.units_table` does ``govsim city import``: a table of units as a city.
"""
