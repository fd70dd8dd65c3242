"""Delivery of the reports: by mail to each manager (``toolkit send``) and to an intranet folder
(``toolkit publish``), from a run's manifest and the ``recipients`` table.

A layer between :mod:`toolkit.run` and :mod:`toolkit.analyses`: it reads what a run wrote and
never runs a report. Importing the package registers the ``delivery`` parameter section and the
recipients table's rules across tables (:func:`toolkit.delivery.recipients.check_recipients`).
"""

from toolkit.delivery import params  # noqa: F401  (the delivery parameter section)
from toolkit.delivery.publish import PublishResult, publish
from toolkit.delivery.recipients import Recipient, load_recipients, may_receive
from toolkit.delivery.send import SendRequest, SendSummary, send

__all__ = [
    "PublishResult",
    "Recipient",
    "SendRequest",
    "SendSummary",
    "load_recipients",
    "may_receive",
    "publish",
    "send",
]
