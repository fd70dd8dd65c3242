"""Delivery of the reports: by mail to each manager (``toolkit send``) and to an intranet folder
(``toolkit publish``), from a run's manifest and the ``recipients`` table.

A layer between :mod:`toolkit.run` and :mod:`toolkit.analyses`: it reads what a run wrote and
never runs a report. Its parts are imported from their modules — :mod:`~toolkit.delivery.send`,
:mod:`~toolkit.delivery.publish`, :mod:`~toolkit.delivery.recipients` (importing it registers
the recipients table's rules across tables, :func:`~toolkit.delivery.recipients.check_recipients`),
:mod:`~toolkit.delivery.params` and :mod:`~toolkit.delivery.cli` (the two commands). This
package imports none of them, so the ``toolkit`` command, which lists the two commands, starts
without the delivery code (a report run does not need it: no report reads the recipients table).
"""
