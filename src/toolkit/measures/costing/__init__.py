"""The costing engine: from the general ledger to the full cost of one unit of an activity.

Shared by the unit-cost report (which shows the whole chain) and the KPI report (which shows
the resulting full cost per case beside its direct cost per case), so that both show one
figure per concept. The chain: :mod:`.allocation` (ledger → cost centres, intermediate →
final), :mod:`.tdabc` (final centres → activities), :mod:`.contacts` (activities → contacts →
DRG groups), :mod:`.scenarios` (one costing, its reconciliation, the sensitivity), on the
inputs of :mod:`.inputs`; :mod:`.unit_costs` is the unit cost per activity both reports show.
Money is held in integer øre (:mod:`.money`).
"""
